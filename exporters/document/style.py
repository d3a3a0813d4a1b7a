"""The SOP document's print style: A4 landscape sheets, the identity page's ruled tables."""

PAGE_CSS = """
@page { size: A4 landscape; margin: 10mm; }
* { box-sizing: border-box; }
html { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 8.5pt;
       line-height: 1.3; color: #000; }
body { margin: 0; }
.page { width: 277mm; break-after: page; page-break-after: always; }
.page:last-child { break-after: auto; page-break-after: auto; }
.identitas { min-height: 188mm; }
.flowchart { height: 188mm; overflow: hidden; }
.flowchart svg { display: block; width: 100%; height: 100%; }
@media screen {
  body { background: #d6d6d6; padding: 8mm 0; }
  .page { width: 297mm; padding: 10mm; margin: 0 auto 8mm; background: #fff;
          box-shadow: 0 1px 5px rgba(0, 0, 0, .35); }
  .identitas { min-height: 210mm; }
  .flowchart { height: 210mm; }
}
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.75pt solid #000; padding: 0.9mm 2mm; vertical-align: top; text-align: left; }
.kepala { margin-bottom: 2.5mm; font-size: 8.5pt; }
.kop { width: 50%; text-align: center; vertical-align: middle; font-weight: bold; }
.kop .organisasi { font-size: 12pt; }
.kop .instansi { font-size: 11pt; }
.kop .unit { margin-top: 6mm; font-size: 9.5pt; }
.kepala th { width: 17%; font-weight: normal; }
.kepala td.nilai { font-weight: bold; }
.ttd { text-align: center; }
.ttd .jabatan { font-weight: bold; }
.ttd .nama { margin-top: 10mm; font-weight: bold; text-decoration: underline; }
.kisi th { width: 50%; background: #d9d9d9; text-align: center; font-weight: bold; }
.kisi ol { margin: 0; padding-left: 5.5mm; }
.kisi li { margin: 0.2mm 0; }
.kosong { color: #555; }
.waktu-kerja h2 { font-size: 11pt; margin: 0 0 2mm; }
.waktu-kerja p { margin: 0 0 2.5mm; }
.waktu-kerja thead th, .waktu-kerja tfoot th { background: #d9d9d9; }
.waktu-kerja tr.lebih td { background: #ffe0b2; font-weight: bold; }
"""
