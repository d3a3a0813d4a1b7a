"""Deployment scripts, load and fault runs (not part of the installed package)."""
