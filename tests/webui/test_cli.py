"""`alur serve`: demo seeding and its printed user list; no demo, no secret, no start."""

from __future__ import annotations

from click.testing import CliRunner
from flask import Flask

from engine.cli import main


def test_serve_demo_seeds_and_prints_the_users(tmp_path, monkeypatch):
    ran = {}
    monkeypatch.setenv("ALUR_HOME", str(tmp_path))
    monkeypatch.delenv("ALUR_DATABASE_URL", raising=False)
    monkeypatch.setattr(Flask, "run", lambda app, **kw: ran.update(app=app, **kw))
    result = CliRunner().invoke(main, ["serve", "--demo", "--port", "5099"])
    assert result.exit_code == 0, result.output
    assert ran["port"] == 5099 and ran["host"] == "127.0.0.1"
    for name in ("kabid", "subkor.pemerintahan", "fungsional.tertentu", "kaban", "admin"):
        assert f"\n{name} " in result.output
    assert "demo" in result.output and (tmp_path / "alur.sqlite3").exists()
    alur = ran["app"].extensions["alur"]
    assert len({d.key for d in alur.processes()}) == 6
    titles = [i.title for i in alur.instances()]  # the sample (newest) after the history
    assert titles[0] == "Asistensi Renja Dinas Pendidikan 2027" and len(titles) > 20
    # a second start changes nothing and adds no second sample
    result = CliRunner().invoke(main, ["serve", "--demo"])
    assert result.exit_code == 0 and len(alur.instances()) == len(titles)
    alur.db.dispose()
    ran["app"].extensions["alur"].db.dispose()


def test_serve_without_demo_needs_a_secret_and_prints_no_users(tmp_path, monkeypatch):
    monkeypatch.setenv("ALUR_HOME", str(tmp_path))
    monkeypatch.delenv("ALUR_SECRET_KEY", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(Flask, "run", lambda app, **kw: None)
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code != 0 and "ALUR_SECRET_KEY" in result.output
    monkeypatch.setenv("ALUR_SECRET_KEY", "s3cret-for-the-test")
    result = CliRunner().invoke(main, ["serve"])
    assert result.exit_code == 0 and "kabid" not in result.output
