#!/usr/bin/env python3
"""Draws the demo product images from the demo catalogue.

Reads app/src/backend/demo/catalogue.json and writes small SVG illustrations into
public/img/urun/ for every product:

  {slug}-1.svg  the garment or accessory, front on, in its first colour
  {slug}-2.svg  a close-up of the fabric or leather in the same colour
  {slug}-3.svg  the garment again in its second colour (only with 2+ colours)

Standard library only; the output is deterministic. Stale {slug}-N.svg files that no longer
belong to a product are deleted. Run from anywhere: python3 scripts/demo-images.py
"""

import hashlib
import json
import math
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "app" / "src" / "backend" / "demo" / "catalogue.json"
OUT = ROOT / "public" / "img" / "urun"

BG = "#F3EFE8"
GOLD = ("#C9A45C", "#8C6D2F")
SILVER = ("#C4C7CA", "#7D8288")


# ----------------------------------------------------------------------------- colours

def rgb(h):
    h = h.lstrip("#")
    return tuple(int(h[i:i + 2], 16) for i in (0, 2, 4))


def mix(a, b, t):
    """Blends colour a towards b by t (0..1)."""
    ca, cb = rgb(a), rgb(b)
    return "#%02X%02X%02X" % tuple(round(x + (y - x) * t) for x, y in zip(ca, cb))


def lum(h):
    def ch(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (ch(c) for c in rgb(h))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


class Pal:
    """The tones derived from one garment colour."""

    def __init__(self, f):
        self.f = f
        dark = lum(f) < 0.2
        self.dark = dark
        self.ol = mix(f, "#000000", 0.42 if lum(f) > 0.5 else 0.3)      # outline
        self.sm = mix(f, "#FFFFFF", 0.32) if dark else mix(f, "#000000", 0.3)  # seams
        self.dk = mix(f, "#000000", 0.28) if lum(f) > 0.03 else mix(f, "#FFFFFF", 0.08)  # inside
        self.lt = mix(f, "#FFFFFF", 0.3)
        self.btn = mix(f, "#FFFFFF", 0.45) if dark else mix(f, "#000000", 0.1)


# ----------------------------------------------------------------------------- paths

def n(v):
    return ("%.1f" % v).rstrip("0").rstrip(".")


def sym(start, *segs):
    """A closed path symmetric about x=300 from its right half.

    start is (x, y); each segment is (x, y) for a line or (cx, cy, x, y) for a quadratic."""
    pts = [start]
    d = ["M%s,%s" % (n(start[0]), n(start[1]))]
    for s in segs:
        if len(s) == 2:
            d.append("L%s,%s" % (n(s[0]), n(s[1])))
        else:
            d.append("Q%s,%s %s,%s" % tuple(n(v) for v in s))
        pts.append(s[-2:])
    last = pts[-1]
    if last[0] != 300:
        d.append("L%s,%s" % (n(600 - last[0]), n(last[1])))
    for i in range(len(segs) - 1, -1, -1):
        s, p = segs[i], pts[i]
        if len(s) == 2:
            if i or p[0] != 300:
                d.append("L%s,%s" % (n(600 - p[0]), n(p[1])))
        else:
            d.append("Q%s,%s %s,%s" % (n(600 - s[0]), n(s[1]), n(600 - p[0]), n(p[1])))
    return "".join(d) + "Z"


PAIR = re.compile(r"(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)")


def mir(d):
    """Mirrors a path of absolute M/L/Q/C commands about x=300."""
    return PAIR.sub(lambda m: "%s,%s" % (n(600 - float(m.group(1))), m.group(2)), d)


def both(d):
    return d + mir(d)


# ----------------------------------------------------------------------------- garments
# Each drawing returns a dict:
#   body  the silhouette (also casts the shadow and takes the shading)
#   under parts drawn before the body in the inside tone (back handle, back of a scarf)
#   strap (d, width) drawn before the body as a band in the garment colour
#   inn   inside areas (back of the neck) in the darker tone
#   pc    pieces on top (collars, lapels, pockets, bands) in the garment colour
#   rib   areas (already in pc) that get the knitted-rib overlay
#   ln    seams; st stitching; fd soft folds
#   bt    buttons [(x, y, r)]; mt metal parts (path); mtc metal colours


def shirt(v):
    short = v.get("short")
    if short:
        arm = [(430, 210), (482, 326), (436, 348), (414, 300)]
    else:
        arm = [(430, 210), (464, 330, 476, 556), (480, 598), (436, 602), (434, 562),
               (424, 430, 414, 300)]
    body = sym((300, 200), (330, 199, 346, 186), *arm, (416, 598), (414, 640, 378, 642),
               (340, 650, 300, 652))
    r = {"body": body, "bt": []}
    ln = both("M430,210Q416,256 414,300")
    if not short:
        ln += both("M434,562L476,556")
        r["bt"] += [(458, 582, 4), (142, 582, 4)]
    else:
        r["st"] = both("M474,318L432,338")
    if v.get("collar") == "band":
        r["inn"] = "M256,180Q300,164 344,180Q300,196 256,180Z"
        r["pc"] = "M254,180Q300,198 346,180L348,200Q300,220 252,200Z"
        top = 212
    elif v.get("collar") == "camp":
        r["inn"] = "M256,186Q300,176 344,186L300,300Z"
        r["pc"] = both("M344,186Q366,190 384,204L342,262L300,300L330,236Z")
        top = 300
    else:
        r["inn"] = "M256,188Q300,166 344,188L300,238Z"
        r["pc"] = both("M300,240L342,182Q358,184 366,196L328,266Z")
        top = 244
    ln += "M289,%dL289,650M311,%dL311,650" % (top + 2, top - 4)
    r["bt"] += [(300, y, 5) for y in range(top + 28, 640, 62)]
    if v.get("pockets"):
        pk = "M328,310L386,310L386,372L357,382L328,372Z"
        r["pc"] += pk + (mir(pk) if v["pockets"] == 2 else "")
        if v["pockets"] == 2:
            r["pc"] += both("M324,300L390,300L390,326L324,326Z")
            r["bt"] += [(357, 318, 4), (243, 318, 4)]
        else:
            r["st"] = r.get("st", "") + "M333,318L381,318"
    r["ln"] = ln
    r["st"] = r.get("st", "") + "M192,626Q300,640 408,626"
    r["fd"] = both("M396,330Q392,470 404,600") + "M330,420Q350,500 340,600"
    return r


def tshirt(v):
    body = sym((300, 196), (330, 195, 350, 182), (430, 206), (488, 300), (440, 328),
               (414, 292), (418, 642), (300, 646))
    r = {"body": body, "inn": "M250,182Q300,198 350,182Q338,216 300,217Q262,216 250,182Z"}
    r["ln"] = both("M430,206Q418,250 414,292")
    r["st"] = both("M482,290L434,318") + "M186,626L414,626"
    r["fd"] = both("M392,340Q386,480 398,610")
    if v.get("polo"):
        r["inn"] = "M256,184Q300,172 344,184L300,228Z"
        r["pc"] = both("M300,230L340,178Q356,182 362,194L330,258Z") + "M292,228L308,228L308,310L292,310Z"
        r["bt"] = [(300, 250, 4), (300, 274, 4), (300, 298, 4)]
        r["rib"] = both("M482,290L434,318L440,328L488,300Z")
        r["pc"] += r["rib"]
    else:
        r["ln"] += "M246,186Q258,228 300,229Q342,228 354,186"
    return r


def blouse(v):
    body = sym((300, 200), (330, 199, 346, 186), (424, 212), (510, 400, 470, 556), (474, 590),
               (430, 594), (428, 560), (420, 420, 408, 300), (404, 616), (360, 630, 300, 630))
    r = {"body": body, "inn": "M254,186Q300,202 346,186Q338,224 300,228Q262,224 254,186Z"}
    r["ln"] = both("M424,212Q410,256 408,300M428,560L470,556") + "M300,232L300,330"
    r["fd"] = both("M440,420Q452,480 452,540M460,470Q466,510 462,548M386,330Q380,470 392,610")
    r["st"] = "M198,608Q300,620 402,608"
    r["bt"] = [(451, 575, 4), (149, 575, 4)]
    if v.get("bow"):
        r["pc"] = (both("M300,236Q344,206 356,236Q346,268 300,240Z")
                   + "M296,244Q290,320 262,380L282,388Q302,320 306,246ZM306,244Q320,330 344,372L362,362Q326,320 312,244Z"
                   + "M289,226L311,226L314,252L286,252Z")
    else:
        # a stand collar framed by a small ruffle
        wave = "".join("Q%d,%d %d,%d" % (x + 7, 156 if i % 2 == 0 else 160, x + 14, 166)
                       for i, x in enumerate(range(244, 356, 14)))
        r["pc"] = "M244,166%sL356,166L350,192Q300,206 250,192Z" % wave
        r["inn"] = "M256,178Q300,168 344,178Q300,190 256,178Z"
        r["bt"] += [(300, 250, 4), (300, 290, 4)]
        r["ln"] = r["ln"].replace("M300,232L300,330", "M300,204L300,310")
    return r


def dress(v):
    kind = v.get("kind", "a")
    waist = [(372, 330, 368, 384)]
    skirt_hem = 706
    if kind == "slip":
        top = [(300, 272), (352, 222), (378, 238)]
    elif kind == "strap":
        top = [(300, 226), (352, 226), (382, 238)]
    elif kind == "pencil":
        top = [(300, 194), (328, 194, 344, 178), (392, 190), (424, 300, 440, 540),
               (414, 548), (398, 400, 390, 270)]
        waist = [(374, 330, 366, 386)]
    else:
        sleeve = [(392, 190), (444, 256), (412, 278), (390, 262)]
        if kind == "tier":
            sleeve = [(392, 190), (446, 240), (460, 272), (430, 280), (412, 274), (390, 262)]
        top = [(300, 196), (330, 196, 346, 180)] + sleeve
    if kind == "pencil":
        skirt = [(384, 470, 380, 560), (372, 690), (300, 694)]
        skirt_hem = 690
    elif kind == "slip":
        skirt = [(396, 520, 436, 712), (370, 724, 300, 726)]
        skirt_hem = 712
    elif kind == "tier":
        skirt = [(416, 500), (420, 504), (446, 612), (450, 616), (474, 712), (380, 728, 300, 730)]
        skirt_hem = 712
    else:
        skirt = [(454, 700), (380, 716, 300, 718)]
    body = sym(top[0], *top[1:], *waist, *skirt)
    r = {"body": body, "ln": "M232,384Q300,394 368,384" if kind != "slip" else "",
         "fd": both("M334,400Q344,560 356,%dM380,420Q400,560 420,%d" % (skirt_hem + 4, skirt_hem - 4))}
    if kind in ("a", "tier", "shirt", "wrap"):
        r["ln"] += both("M392,190Q388,234 390,262")
        r["inn"] = "M254,180Q300,196 346,180Q336,214 300,216Q264,214 254,180Z"
    if kind == "a":
        r["st"] = both("M440,248L408,268")
    if kind == "tier":
        r["ln"] += "M186,502Q300,516 414,502M160,614Q300,630 440,614"
        r["fd"] += both("M320,400L322,440M350,398L354,436M320,520L322,560M370,518L376,556")
    if kind == "shirt":
        r["inn"] = "M258,186Q300,166 342,186L300,236Z"
        r["pc"] = (both("M300,238L340,180Q356,182 364,194L328,262Z")
                   + "M230,370Q300,382 370,370L372,396Q300,408 228,396Z"
                   + "M330,392Q350,440 344,500L360,498Q362,440 344,392Z")
        r["bt"] = [(300, y, 4.5) for y in (268, 318, 450, 510, 570, 630)]
        r["ln"] += "M308,240L308,370M308,406L308,716"
        r["st"] = both("M444,250L412,270")
    if kind == "wrap":
        r["inn"] = "M254,180Q300,196 346,180Q330,252 310,300Q276,240 254,180Z"
        r["ln"] += "M346,180Q324,282 232,384M232,384Q300,470 330,716"
        r["pc"] = "M352,376Q380,382 388,396Q368,404 352,392ZM356,392Q372,440 366,500L378,502Q384,440 364,392Z"
    if kind == "slip":
        r["pc"] = both("M340,226L336,150L342,150L348,224Z")
        r["st"] = both("M300,264L350,218")
        r["ln"] = "M236,380Q300,420 364,380"
    if kind == "strap":
        r["pc"] = both("M336,228L334,150L342,150L346,228Z")
        r["st"] = "".join("M226,%dQ300,%d 374,%d" % (y, y + 6, y) for y in (250, 266, 282, 298, 314))
    if kind == "pencil":
        r["rib"] = "M246,186Q258,222 300,224Q342,222 354,186L346,182Q336,210 300,212Q264,210 254,182Z" \
            + both("M414,548L440,540L438,510L414,516Z")
        r["pc"] = r["rib"]
        r["inn"] = "M254,182Q300,196 346,182Q336,210 300,212Q264,210 254,182Z"
        r["ln"] = both("M392,190Q386,230 390,270") + "M300,240L300,690"
        r["st"] = "M230,676L370,676"
        r["fd"] = both("M340,400Q346,560 344,680")
        r["pattern"] = "rib"
    return r


def trousers(v):
    kind = v.get("kind", "tailored")
    if kind == "wide":
        legs = [(424, 330, 456, 732), (304, 736), (301, 392)]
    elif kind == "taper":
        legs = [(416, 300, 404, 440), (384, 730), (318, 732), (302, 380)]
    elif kind == "jeans":
        legs = [(410, 300, 404, 430), (398, 730), (314, 732), (302, 372)]
    else:
        legs = [(408, 300, 410, 420), (414, 730), (318, 732), (302, 372)]
    body = sym((300, 168), (386, 168), (390, 198), *legs)
    r = {"body": body, "ln": "M212,198L388,198", "bt": [], "st": "", "fd": ""}
    r["pc"] = both("M236,164L248,164L248,206L236,206Z")
    if kind in ("tailored", "wide", "taper"):
        r["fd"] = both("M350,206L362,726" if kind != "wide" else "M350,206Q370,400 382,730")
        r["ln"] += both("M372,198L398,276")
        r["bt"] = [(300, 183, 5)]
        r["st"] = "M312,198L312,318Q312,340 300,350"
    if kind in ("wide", "taper", "pleat"):
        r["ln"] += both("M330,198Q333,240 332,270M352,198Q356,236 356,262")
    if kind == "taper":
        r["pc"] += "M212,174Q300,178 388,174L390,198Q300,202 210,198Z"
        r["mt"] = "M284,174L316,174L316,200L284,200ZM290,180L290,194L310,194L310,180Z"
        r["mtc"] = GOLD
    if kind == "jeans":
        r["st"] = (both("M338,200Q350,252 398,262M362,200L362,226L386,226") + "M314,200L314,318Q314,338 300,348"
                   + both("M214,206L386,206"))
        r["bt"] = [(300, 183, 6)]
        r["mt"] = "M340,200h5v5h-5zM394,258h5v5h-5zM206,258h5v5h-5zM255,200h5v5h-5z"
        r["mtc"] = SILVER
        r["fd"] = both("M366,300Q372,330 362,352M372,380Q378,404 366,420")
    if kind == "draw":
        r["pc"] = "M212,168L388,168L390,204L210,204Z"
        r["rib"] = r["pc"]
        r["ln"] = both("M372,204L398,280")
        r["fd"] = both("M350,210L362,726")
        r["st"] = "M296,204Q288,240 282,270M304,204Q314,240 322,262"
        r["bt"] = [(282, 272, 4), (322, 264, 4)]
    if kind == "cargo":
        r["pc"] += both("M364,412L414,412L416,496L366,498Z")
        r["pc"] += both("M360,402L418,402L418,428L360,428Z")
        r["bt"] += [(389, 418, 4), (211, 418, 4)]
        r["st"] += both("M320,716L412,716")
    if kind == "pleat":
        r["fd"] = both("M352,206Q368,400 380,730")
        r["ln"] += both("M372,198L398,276")
        r["pc"] += both("M386,180L400,180L402,196L388,196Z")
        r["mt"] = both("M393,184L397,184L397,192L393,192Z")
        r["mtc"] = SILVER
        r["bt"] = [(300, 183, 5)]
        r["st"] = "M312,198L312,318Q312,340 300,350"
    return r


def skirt(v):
    kind = v.get("kind", "a")
    if kind == "slip":
        body = sym((300, 206), (366, 206), (372, 360, 434, 720), (370, 734, 300, 736))
        r = {"body": body, "st": "M236,222Q300,228 364,222",
             "fd": both("M330,240Q344,480 360,730M392,420Q408,560 420,716") + "M300,300Q302,520 300,736"}
        return r
    hem = []
    for i, x in enumerate(range(444, 300, -18)):
        hem.append((x, 660 if i % 2 else 650))
    hem.append((300, 656))
    body = sym((300, 200), (372, 200), (374, 230), (446, 652), *hem)
    r = {"body": body, "ln": "M226,230L374,230"}
    ln = ""
    for i in range(1, 9):
        xt = 300 + (i - 4.5) * 16.5
        xb = 300 + (i - 4.5) * 18 * 1.0
        ln += "M%s,232L%s,%d" % (n(xt), n(xb + (xb - 300) * 0.95), 652 if i % 2 else 658)
    r["fd"] = ln + both("M386,240L436,640")
    r["st"] = "M232,214L368,214"
    r["mt"] = ""
    return r


def knit(v):
    kind = v.get("kind", "crew")
    wide = 10 if kind == "over" else 0
    hem = 600 if kind != "over" else 560
    body = sym((300, 194), (328, 193, 350, 180), (430 + wide, 208), (492 + wide, 562),
               (494 + wide, 606), (450 + wide, 608), (448 + wide, 564), (440, 420, 426 + wide, 320),
               (426 + wide, hem), (422 + wide, hem + 42), (300, hem + 44))
    w = 426 + wide
    rib = "M%d,%dL%d,%dL%d,%dL%d,%dZ" % (600 - w, hem, w, hem, w - 4, hem + 42, 604 - w, hem + 42)
    rib += both("M%d,564L%d,562L%d,606L%d,608Z" % (448 + wide, 492 + wide, 494 + wide, 450 + wide))
    r = {"body": body, "ln": both("M%d,208Q%d,262 %d,320" % (430 + wide, 420 + wide, 426 + wide)),
         "fd": both("M%d,360Q%d,470 %d,%d" % (396 + wide, 388 + wide, 398 + wide, hem - 10))}
    inn = "M254,184Q300,198 346,184Q336,210 300,212Q264,210 254,184Z"
    neck = "M246,180Q258,226 300,228Q342,226 354,180L346,184Q336,210 300,212Q264,210 254,184Z"
    pc = ""
    if kind == "roll":
        inn = "M262,136Q300,148 338,136Q300,126 262,136Z"
        neck = "M254,196L258,134Q300,146 342,134L346,196Q300,214 254,196Z"
        r["ln"] += "M256,164Q300,178 344,164"
    elif kind in ("v", "cardi"):
        inn = "M254,184Q300,196 346,184L300,%dZ" % (300 if kind == "v" else 330)
        neck = "M244,180L300,316L356,180L346,184L300,296L254,184Z" if kind == "v" else \
            "M244,180L294,330L294,%dL306,%dL306,330L356,180L346,184L300,318L254,184Z" % (hem + 42, hem + 42)
        if kind == "cardi":
            r["bt"] = [(300, y, 6) for y in range(360, hem + 20, 58)]
            r["st"] = both("M%d,%dL%d,%d" % (360, hem - 8, 360, hem - 8))
            pc = both("M336,470L384,470L384,530L336,530Z")
    elif kind == "zip":
        inn = "M262,164Q300,174 338,164Q300,156 262,164Z"
        neck = "M256,200L260,162Q300,174 340,162L344,200Q300,214 256,200Z"
        r["mt"] = "M298,170L302,170L302,330L298,330ZM295,206L305,206L306,232L294,232Z"
        r["mtc"] = SILVER
        r["ln"] += "M300,214L300,330"
    if kind == "cable":
        fd = ""
        for x0 in (262, 338):
            fd += "M%d,240" % (x0 - 10) + "".join(
                "Q%d,%d %d,%d" % (x0 + (14 if i % 2 == 0 else -14), y + 24, x0 + (-10 if i % 2 == 0 else 10), y + 48)
                for i, y in enumerate(range(240, hem - 40, 48)))
            fd += "M%d,240" % (x0 + 10) + "".join(
                "Q%d,%d %d,%d" % (x0 + (-14 if i % 2 == 0 else 14), y + 24, x0 + (10 if i % 2 == 0 else -10), y + 48)
                for i, y in enumerate(range(240, hem - 40, 48)))
        r["ln"] += fd + both("M228,236L228,%d" % (hem - 4)) + "M300,236L300,%d" % (hem - 4)
    if kind == "sweat":
        r["st"] = "M290,214L300,236L310,214"
    r["inn"] = inn
    r["rib"] = neck + rib
    r["pc"] = neck + rib + pc
    return r


def coat(v):
    kind = v.get("kind", "db")
    hem = 620 if kind == "pea" else 742
    body = sym((300, 200), (330, 198, 352, 178), (432, 204), (462, 330, 474, 600), (426, 608),
               (420, 450, 414, 300), (436 if hem > 700 else 424, hem), (300, hem + 4))
    r = {"body": body, "ln": both("M432,204Q416,252 414,300") + "M300,360L300,%d" % (hem + 4),
         "st": both("M470,566L428,574"), "fd": both("M390,420Q398,560 410,%d" % (hem - 10)), "bt": []}
    if kind == "wrap":
        r["inn"] = "M258,188Q300,198 342,188L300,430Z"
        r["pc"] = both("M342,186Q366,200 374,230Q360,330 300,430L300,420Q334,320 342,186Z")
        r["pc"] += "M186,420Q300,436 414,420L416,448Q300,464 184,448Z" + \
            "M332,428Q352,424 358,438Q350,456 332,452ZM338,450Q352,520 342,590L356,592Q366,520 352,450Z"
        r["ln"] = both("M432,204Q416,252 414,300") + "M300,462L332,%d" % (hem + 2)
        return r
    r["inn"] = "M262,186Q300,198 338,186L300,%dZ" % (300 if kind == "pea" else 360)
    if kind == "single":
        r["pc"] = both("M338,186L368,196L370,234L392,230L378,296L304,362Z")
        r["ln"] = r["ln"].replace("M300,360L300,%d" % (hem + 4), "M300,360L300,%dM314,372L314,%d" % (hem + 4, hem - 20))
    elif kind == "pea":
        r["pc"] = both("M338,186L372,194L402,244L386,292L306,302Z")
        r["bt"] = [(x, y, 9) for x in (256, 344) for y in (340, 410, 480, 550)]
        r["ln"] = r["ln"].replace("M300,360L300,", "M334,302L334,")
    else:
        r["pc"] = both("M338,186L370,198L376,236L408,224L392,300L304,372Z")
        r["bt"] = [(x, y, 9) for x in (262, 338) for y in (410, 490, 570)]
        r["ln"] = r["ln"].replace("M300,360L300,", "M340,380L340,")
    if kind == "trench":
        r["pc"] += "M186,430Q300,446 414,430L416,456Q300,472 184,456Z" + both("M370,200L424,206L422,226L368,220Z") \
            + both("M428,540L474,534L476,552L430,558Z")
        r["mt"] = "M282,434L318,434L318,466L282,466ZM288,440L288,460L312,460L312,440Z"
        r["mtc"] = GOLD
        r["bt"] = [(x, y, 8) for x in (262, 338) for y in (400, 510, 590)]
        r["ln"] += both("M410,246Q372,280 346,300")
    if kind != "trench":
        flap = "M338,%dL404,%dL406,%dL340,%dZ" % ((520, 516, 542, 546) if kind != "pea" else (470, 466, 492, 496))
        r["pc"] += both(flap)
    r["bt"] = [b for b in r["bt"] if b[1] < hem - 20]
    r["btc"] = "horn"
    return r


def jacket(v):
    kind = v.get("kind", "blazer")
    puff = kind == "puffer"
    side = (424, 578) if not puff else (436, 440, 420, 584)
    body = sym((300, 198), (330, 196, 350, 178), (430, 206), (462, 320, 472, 546), (426, 556),
               (420, 420, 414, 300), side, (300, 588))
    r = {"body": body, "ln": both("M430,206Q416,252 414,300"), "st": "", "fd": "", "bt": [], "pc": ""}
    if kind == "blazer":
        r["inn"] = "M262,186Q300,198 338,186L300,410Z"
        r["pc"] = both("M338,186L366,196L368,232L394,232L376,292L302,410Z") + both("M342,460L404,456L406,476L344,480Z") \
            + "M236,330L268,326L268,334L236,338Z"
        r["bt"] = [(300, 432, 8), (454, 520, 4), (146, 520, 4)]
        r["ln"] += "M300,420Q304,500 330,588"
        r["btc"] = "horn"
        r["fd"] = both("M398,320Q396,450 404,570")
    elif kind == "puffer":
        r["pc"] = "M254,150L346,150L350,196Q300,210 250,196Z"
        r["inn"] = "M258,152Q300,162 342,152Q300,144 258,152Z"
        ln = "M300,152L300,588"
        for y in range(250, 580, 66):
            ln += "M183,%dQ300,%d 417,%d" % (y, y + 14, y)
        ln += both("M420,320Q440,316 452,300M424,390Q446,388 460,372M426,460Q450,460 466,446")
        r["ln"] += ln
        r["st"] = "M196,560L404,560"
        r["mt"] = "M297,156L303,156L303,588L297,588ZM294,200L306,200L306,226L294,226Z"
        r["mtc"] = SILVER
    elif kind == "denim":
        r["inn"] = "M256,188Q300,166 344,188L300,236Z"
        r["pc"] = both("M300,238L342,182Q360,184 370,198L328,264Z") + both("M330,300L384,300L384,360L357,370L330,360Z") \
            + both("M322,294L392,294L392,318L322,318Z") + "M182,540Q300,548 418,540L420,578L180,578Z"
        r["bt"] = [(300, y, 6) for y in (272, 340, 410, 480, 558)] + [(357, 307, 4), (243, 307, 4)]
        r["ln"] += "M308,240L308,540"
        r["st"] = both("M304,252L430,262") + both("M404,300L406,530") + "M186,548L414,548"
        r["btc"] = "metal"
    elif kind == "bomber":
        r["pc"] = "M252,176Q300,196 348,176L350,200Q300,222 250,200Z" + "M184,540Q300,550 416,540L418,584L182,584Z" \
            + both("M426,520L470,512L472,548L426,556Z") + "M430,300L460,296L462,326L432,330Z"
        r["rib"] = r["pc"].split("M430,300")[0]
        r["inn"] = "M256,180Q300,172 344,180Q300,194 256,180Z"
        r["mt"] = "M298,202L302,202L302,584L298,584ZM294,230L306,230L306,254L294,254Z"
        r["mtc"] = SILVER
        r["fd"] = both("M380,300Q392,420 388,530")
    else:  # field
        r["pc"] = "M254,170L346,170L350,200Q300,214 250,200Z"
        r["inn"] = "M258,172Q300,182 342,172Q300,164 258,172Z"
        r["pc"] += both("M326,286L384,286L384,346L326,346Z") + both("M324,276L388,276L388,298L324,298Z") \
            + both("M322,452L394,452L394,536L322,536Z") + both("M320,440L396,440L396,464L320,464Z")
        r["bt"] = [(355, 287, 4), (245, 287, 4), (358, 452, 4), (242, 452, 4)] + [(300, y, 5) for y in (250, 330, 410, 490)]
        r["ln"] += "M306,200L306,588M190,400Q300,410 410,400"
        r["st"] = "M196,562L404,562"
    return r


def bag(v):
    kind = v.get("kind", "cross")
    r = {"st": "", "ln": "", "fd": "", "bt": []}
    if kind == "cross":
        r["body"] = "M194,400L406,400Q430,400 430,424L430,580Q430,604 406,604L194,604Q170,604 170,580L170,424Q170,400 194,400Z"
        r["strap"] = ("M176,412Q150,140 300,110Q450,140 424,412", 12)
        r["pc"] = "M170,424Q170,400 194,400L406,400Q430,400 430,424L430,500Q300,548 170,500Z"
        r["st"] = "M182,426Q182,412 196,412L404,412Q418,412 418,426L418,492Q300,534 182,492Z"
        r["mt"] = "M286,508L314,508Q318,508 318,512L318,530Q318,534 314,534L286,534Q282,534 282,530L282,512Q282,508 286,508Z" \
            + "M168,404L180,404L180,424L168,424ZM420,404L432,404L432,424L420,424Z"
        r["mtc"] = GOLD
        r["fd"] = "M190,560Q300,572 410,560"
    elif kind in ("tote", "canvas"):
        r["body"] = "M150,360L450,360L424,660Q422,674 408,674L192,674Q178,674 176,660Z"
        r["under"] = "M238,362Q238,220 300,220Q362,220 362,362L346,362Q346,238 300,238Q254,238 254,362Z"
        r["pc"] = "M222,366Q222,200 300,200Q378,200 378,366L360,366Q360,218 300,218Q240,218 240,366Z"
        r["st"] = "M156,380L444,380" + both("M228,362L228,420L250,420L250,362")
        r["ln"] = both("M404,362L388,672")
        r["fd"] = both("M360,420Q364,540 352,660")
        if kind == "canvas":
            r["trim"] = "#8E5A35"
            r["pc"] += "M176,640L424,640L424,660Q422,674 408,674L192,674Q178,674 176,660Z"
    elif kind == "straw":
        r["body"] = "M166,380L434,380Q452,380 450,400L430,650Q428,672 406,672L194,672Q172,672 170,650L150,400Q148,380 166,380Z"
        r["trim"] = "#7A4B2A"
        r["under"] = "M250,384Q250,250 300,250Q350,250 350,384L336,384Q336,266 300,266Q264,266 264,384Z"
        r["pc"] = "M224,386Q224,226 300,226Q376,226 376,386L358,386Q358,244 300,244Q242,244 242,386Z"
        r["pattern"] = "straw"
        r["ln"] = "M156,410L444,410"
    elif kind == "hobo":
        r["body"] = "M152,410Q300,470 448,410Q476,600 384,660Q300,694 216,660Q124,600 152,410Z"
        r["strap"] = ("M160,420Q170,170 300,160Q430,170 440,420", 30)
        r["mt"] = "M190,434Q300,470 410,434L410,440Q300,476 190,440Z"
        r["mtc"] = SILVER
        r["fd"] = both("M190,470Q206,540 240,600M214,462Q230,520 262,566") + "M300,490Q300,580 300,664"
        r["st"] = "M166,430Q300,486 434,430"
    else:  # baguette
        r["body"] = "M174,430L426,430Q452,430 452,456L452,548Q452,574 426,574L174,574Q148,574 148,548L148,456Q148,430 174,430Z"
        r["strap"] = ("M196,434Q200,290 300,282Q400,290 404,434", 16)
        r["pc"] = "M148,456Q148,430 174,430L426,430Q452,430 452,456L452,520Q300,512 148,520Z"
        r["st"] = "M160,458Q160,442 176,442L424,442Q440,442 440,458L440,508Q300,502 160,508Z"
        r["mt"] = "M276,500L324,500Q330,500 330,506L330,526Q330,532 324,532L276,532Q270,532 270,526L270,506Q270,500 276,500ZM282,508L282,524L318,524L318,508Z"
        r["mtc"] = GOLD
        r["pattern"] = "croc"
    return r


def scarf(v):
    kind = v.get("kind", "long")
    if kind == "square":
        # a square laid on its point, the bottom corner folded up to show the underside
        r = {"body": "M300,150L540,390L390,540L210,540L60,390Z", "pattern": "square"}
        r["ln"] = "M300,184L506,390L356,540M244,540L94,390L300,184M300,214L476,390L326,540M274,540L124,390L300,214"
        r["fd"] = "M300,300L390,390L300,480L210,390ZM300,340L350,390L300,440L250,390Z"
        r["st"] = "M300,160L530,390L380,540M220,540L70,390L300,160"
        r["top"] = "M210,540L390,540L300,450Z"
        return r
    r = {"body": "M264,150Q314,134 360,150L378,652L288,664Q290,400 264,150Z",
         "under": "M238,150L304,142L318,704L236,714Z",
         "rod": "M170,138h260a8,8 0 0 1 0,16h-260a8,8 0 0 1 0,-16Z"}
    r["ln"] = ""
    r["fd"] = "M300,170Q310,420 314,658M336,170Q348,420 356,656M282,200Q290,420 302,662"
    if v.get("fringe"):
        fr = "".join("M%d,%sL%d,%s" % (x, n(664 - (x - 288) * 12 / 90), x, n(692 - (x - 288) * 12 / 90)) for x in range(292, 378, 8))
        r["ln"] = fr
        r["under_fr"] = "".join("M%d,%sL%d,%s" % (x, n(714 - (x - 236) * 10 / 82), x, n(742 - (x - 236) * 10 / 82)) for x in range(240, 290, 8))
    if v.get("rib"):
        r["pattern"] = "rib"
    return r


def belt(v):
    w = v.get("w", 26)
    r = {"belt": w, "mtc": GOLD if v.get("gold") else SILVER}
    return r


SHAPES = {"shirt": shirt, "tshirt": tshirt, "blouse": blouse, "dress": dress, "trousers": trousers,
          "skirt": skirt, "knit": knit, "coat": coat, "jacket": jacket, "bag": bag, "scarf": scarf,
          "belt": belt}


def variant(p):
    """Picks drawing details from the product's slug and shape."""
    s, sh = p["slug"], p["shape"]
    has = lambda *w: any(x in s for x in w)
    if sh == "shirt":
        return {"short": has("kisa-kollu", "resort"),
                "collar": "band" if has("hakim") else "camp" if has("resort") else "point",
                "pockets": 2 if has("kadife", "sambre") else 1 if has("oxford") else 0}
    if sh == "tshirt":
        return {"polo": has("polo")}
    if sh == "blouse":
        return {"bow": has("krep", "fiyonk")}
    if sh == "dress":
        kind = ("shirt" if has("gomlek") else "slip" if has("saten", "slip") else "strap" if has("askili")
                else "pencil" if has("kalem", "triko") else "wrap" if has("kruvaze") else "tier" if has("sifon", "katli")
                else "a")
        return {"kind": kind}
    if sh == "trousers":
        kind = ("wide" if has("palazzo") else "jeans" if has("jean") else "taper" if has("havuc")
                else "draw" if has("lastikli") else "cargo" if has("kargo") else "pleat" if has("pileli") else "tailored")
        return {"kind": kind}
    if sh == "skirt":
        return {"kind": "slip" if has("saten", "slip") else "pleat"}
    if sh == "knit":
        kind = ("roll" if has("balikci") else "cardi" if has("hirka") else "v" if has("v-yaka") else "zip" if has("fermuar")
                else "cable" if has("sac-orgu") else "sweat" if has("sweat") else "over" if has("oversize") else "crew")
        return {"kind": kind}
    if sh == "coat":
        kind = ("trench" if has("trenc") else "wrap" if has("kusakli") else "single" if has("palto")
                else "pea" if p["category"].startswith("erkek") else "db")
        return {"kind": kind}
    if sh == "jacket":
        kind = ("puffer" if has("sisme", "kapitone") else "denim" if has("denim") else "bomber" if has("bomber")
                else "field" if has("saha") else "blazer")
        return {"kind": kind}
    if sh == "bag":
        kind = ("tote" if has("tote") else "canvas" if has("kanvas") else "straw" if has("hasir") else "hobo" if has("hobo")
                else "baguette" if has("baget") else "cross")
        return {"kind": kind}
    if sh == "scarf":
        return {"kind": "square" if has("esarp", "bandana") else "long", "fringe": has("sacakli"), "rib": has("atki")}
    if sh == "belt":
        return {"w": 14 if has("ince") else 44 if has("genis") else 24 if has("orgu") else 26,
                "gold": has("altin"), "braid": has("orgu"), "square": has("genis")}
    return {}


# ----------------------------------------------------------------------------- SVG

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 800">'
SHADE = ('<linearGradient id="g" x2="1"><stop offset="0" stop-color="#fff" stop-opacity=".16"/>'
         '<stop offset=".45" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-opacity=".17"/></linearGradient>')
BLUR = ('<filter id="f" filterUnits="userSpaceOnUse" x="0" y="0" width="600" height="800">'
        '<feGaussianBlur stdDeviation="8"/></filter>')


def pattern(kind, pal):
    """An overlay pattern with id "p" drawn over the silhouette, or ''."""
    if kind == "rib":
        return ('<pattern id="p" width="10" height="10" patternUnits="userSpaceOnUse">'
                '<path d="M5,0V10" stroke="%s" stroke-width="2" opacity=".35"/></pattern>' % pal.sm)
    if kind == "stripe":
        c = "#FFFFFF" if not pal.dark else mix(pal.f, "#FFFFFF", 0.55)
        return ('<pattern id="p" width="16" height="16" patternUnits="userSpaceOnUse">'
                '<path d="M4,0V16" stroke="%s" stroke-width="4" opacity=".75"/></pattern>' % c)
    if kind == "floral":
        c = mix(pal.f, "#FFFFFF", 0.6) if pal.dark else mix(pal.f, "#7A2E3A", 0.45)
        return ('<pattern id="p" width="44" height="44" patternUnits="userSpaceOnUse"><g fill="%s">'
                '<circle cx="13" cy="6" r="3"/><circle cx="17.3" cy="9.2" r="3"/><circle cx="15.6" cy="14.2" r="3"/>'
                '<circle cx="10.4" cy="14.2" r="3"/><circle cx="8.7" cy="9.2" r="3"/><circle cx="34" cy="31" r="2"/>'
                '<circle cx="37" cy="34" r="2"/><circle cx="34" cy="37" r="2"/><circle cx="31" cy="34" r="2"/></g>'
                '<circle cx="13" cy="10.5" r="2.2" fill="%s"/><path d="M26,16q5,2 3,8" stroke="%s" fill="none"/></pattern>'
                % (c, mix(pal.f, "#E0B040", 0.7), c))
    if kind == "straw":
        return ('<pattern id="p" width="24" height="24" patternUnits="userSpaceOnUse"><g fill="none" stroke="%s" stroke-width="2" opacity=".55">'
                '<path d="M2,3h8M2,7h8M2,11h8M15,13v8M19,13v8M23,13v8M14,2v8M18,2v8M22,2v8M2,15h8M2,19h8M2,23h8"/></g></pattern>'
                % pal.sm)
    if kind == "croc":
        return ('<pattern id="p" width="28" height="22" patternUnits="userSpaceOnUse"><g fill="none" stroke="%s" opacity=".4">'
                '<rect x="2" y="2" width="22" height="8" rx="4"/><rect x="-12" y="13" width="22" height="8" rx="4"/>'
                '<rect x="16" y="13" width="22" height="8" rx="4"/></g></pattern>' % pal.sm)
    if kind == "square":
        c = mix(pal.f, "#FFFFFF", 0.45) if pal.dark else mix(pal.f, "#000000", 0.35)
        return ('<pattern id="p" width="30" height="30" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
                '<circle cx="15" cy="15" r="2.5" fill="%s" opacity=".6"/></pattern>' % c)
    return ""


def buttons(r, pal):
    if not r.get("bt"):
        return ""
    kind = r.get("btc")
    if kind == "horn":
        fill, stroke = (mix(pal.f, "#000000", 0.5), pal.sm)
    elif kind == "metal":
        fill, stroke = SILVER
    else:
        fill, stroke = pal.btn, pal.ol
    out = '<g fill="%s" stroke="%s" stroke-width="1.5">' % (fill, stroke)
    for x, y, rad in r["bt"]:
        out += '<circle cx="%s" cy="%s" r="%s"/>' % (n(x), n(y), n(rad))
    return out + "</g>"


def draw_belt(v, pal):
    """A buckled belt seen from slightly above: the loop, the tip end through the keeper."""
    w = v["w"]
    mt, mts = v["mtc"]
    rx, ry, cy = 230, 150, 380
    bot = cy + ry

    def ey(x, off=0.0):
        """y on the front of the loop at x, off pixels outwards."""
        a, b = rx + off, ry + off
        return cy + b * math.sqrt(max(0.0, 1 - ((x - 300) / a) ** 2))

    out = [HEAD, "<defs>", BLUR, "</defs>", '<rect width="600" height="800" fill="%s"/>' % BG]
    ell = '<ellipse cx="300" cy="%d" rx="%d" ry="%d" fill="none" stroke="%s" stroke-width="%s"%s/>'
    out.append(ell % (cy + 14, rx, ry, "#000", w + 6, ' opacity=".13" filter="url(#f)"'))
    out.append(ell % (cy, rx, ry, pal.ol, w + 4, ""))
    out.append(ell % (cy, rx, ry, pal.dk, w, ""))
    front = "M%d,%dA%d,%d 0 0 0 %d,%d" % (300 - rx, cy, rx, ry, 300 + rx, cy)
    out.append('<path d="%s" fill="none" stroke="%s" stroke-width="%s"/>' % (front, pal.f, w))
    if v.get("braid"):
        out.append('<path d="%s" fill="none" stroke="%s" stroke-width="%s" stroke-dasharray="5 7" opacity=".45"/>'
                   % (front, pal.sm, w - 4))
    else:
        for off in (w / 2 - 5, -(w / 2 - 5)):
            out.append('<path d="M%s,%dA%s,%s 0 0 0 %s,%d" fill="none" stroke="%s" stroke-width="1.4" stroke-dasharray="5 4"/>'
                       % (n(300 - rx - off), cy, n(rx + off), n(ry + off), n(300 + rx + off), cy, pal.sm))
    # the tip end lies over the strap left of the buckle and ends in a point
    h = w / 2 - 1
    xs = list(range(326, 186, -14))
    upper = ["%s,%s" % (x, n(ey(x, h) - 2 * h - 1)) for x in xs]   # lies a little above the strap
    lower = ["%s,%s" % (x, n(ey(x, h) - 1)) for x in reversed(xs)]
    tipx = xs[-1] - 16
    tip = "M" + "L".join(upper) + "L%s,%s" % (tipx, n(ey(tipx, h) - h - 1)) + "L" + "L".join(lower) + "Z"
    out.append('<path d="%s" fill="%s" stroke="%s" stroke-width="2" stroke-linejoin="round"/>' % (tip, pal.f, pal.ol))
    if not v.get("braid"):
        out.append('<g fill="%s" stroke="%s">' % (pal.dk, pal.ol) + "".join(
            '<circle cx="%d" cy="%s" r="%s"/>' % (x, n(ey(x, h) - h - 1), n(max(2.2, w / 9))) for x in (198, 214, 230)) + "</g>")
    # the keeper loop and the buckle
    kx = 248
    out.append('<path d="M%d,%sl14,1v%sl-14,-1Z" fill="%s" stroke="%s" stroke-width="2"/>'
               % (kx, n(ey(kx, h) - 2 * h - 8), n(2 * h + 14), pal.f, pal.ol))
    by = ey(300, h) - h - 1
    bh = w + 20
    if v.get("gold") and w < 20:
        for c, sw in ((mts, 8), (mt, 5)):
            out.append('<ellipse cx="300" cy="%s" rx="28" ry="%s" fill="none" stroke="%s" stroke-width="%d"/>' % (n(by), n(bh / 2), c, sw))
        bw = 56
    else:
        bw = 64 if w < 40 else 92
        for c, sw in ((mts, 11), (mt, 7)):
            out.append('<rect x="%s" y="%s" width="%d" height="%s" rx="7" fill="none" stroke="%s" stroke-width="%d"/>'
                       % (n(300 - bw / 2), n(by - bh / 2), bw, n(bh), c, sw))
    for c, sw in ((mts, 6), (mt, 3.5)):
        out.append('<path d="M%d,%sL%d,%s" stroke="%s" stroke-width="%s" stroke-linecap="round"/>'
                   % (300 + bw // 2 - 4, n(by), 300 - bw // 2 + 10, n(by), c, n(sw)))
    out.append("</svg>")
    return "".join(out)


# Widens and shortens the tops drawn on the shared grid to real proportions.
SCALE = {"tshirt": (1.2, 0.84), "shirt": (1.15, 0.9), "knit": (1.08, 0.95), "blouse": (1.15, 0.9)}


def draw(p, hexc):
    """The front view of product p in colour hexc."""
    pal = Pal(hexc)
    v = variant(p)
    if p["shape"] == "belt":
        return draw_belt({**v, **belt(v)}, pal)
    r = SHAPES[p["shape"]](v)
    kind = r.get("pattern")
    col = next(c for c in p["colours"] if c["hex"] == hexc)
    if "Çizgili" in col["tr"]:
        kind = "stripe"
    elif "Çiçekli" in col["tr"]:
        kind = "floral"
    pat = pattern(kind, pal) if kind else ""
    if kind == "rib" and p["shape"] == "knit":
        pat = ""  # knits show rib only on their bands
    rib = pattern("rib", pal).replace('id="p"', 'id="r"') if r.get("rib") else ""
    out = [HEAD, "<defs>", SHADE, BLUR, pat, rib, '<path id="b" d="%s"/>' % r["body"], "</defs>",
           '<rect width="600" height="800" fill="%s"/>' % BG]
    sx, sy = SCALE.get(p["shape"], (1, 1))
    if (sx, sy) != (1, 1):
        out.append('<g transform="matrix(%s 0 0 %s %s %s)">' % (n(sx), n(sy), n(300 * (1 - sx)), n(415 * (1 - sy))))
    trim = r.get("trim")
    tpal = Pal(trim) if trim else pal
    if r.get("strap"):
        d, w = r["strap"]
        out.append('<path d="%s" fill="none" stroke="%s" stroke-width="%d"/>' % (d, tpal.ol, w + 4))
        out.append('<path d="%s" fill="none" stroke="%s" stroke-width="%d"/>' % (d, tpal.f, w))
    if r.get("rod"):
        out.append('<path d="%s" fill="#B08A62" stroke="#7E5E3E" stroke-width="2"/>' % r["rod"])
    if r.get("under"):
        out.append('<path d="%s" fill="%s" stroke="%s" stroke-width="2"/>' % (r["under"], tpal.dk, tpal.ol))
    if r.get("under_fr"):
        out.append('<path d="%s" stroke="%s" stroke-width="2"/>' % (r["under_fr"], pal.sm))
    out.append('<use href="#b" transform="translate(8,12)" opacity=".14" filter="url(#f)"/>')
    out.append('<use href="#b" fill="%s" stroke="%s" stroke-width="2.5" stroke-linejoin="round"/>' % (pal.f, pal.ol))
    if pat:
        out.append('<use href="#b" fill="url(#p)"/>')
    if r.get("inn"):
        out.append('<path d="%s" fill="%s" stroke="%s" stroke-width="2" stroke-linejoin="round"/>' % (r["inn"], pal.dk, pal.ol))
    out.append('<use href="#b" fill="url(#g)"/>')
    if r.get("pc"):
        ppal = tpal if trim else pal
        out.append('<path d="%s" fill="%s" stroke="%s" stroke-width="2" stroke-linejoin="round"/>' % (r["pc"], ppal.f, ppal.ol))
    if r.get("rib"):
        out.append('<path d="%s" fill="url(#r)"/>' % r["rib"])
    lines = ""
    if r.get("ln"):
        lines += '<path d="%s" stroke-width="2.5"/>' % r["ln"]
    if r.get("st"):
        lines += '<path d="%s" stroke-width="1.6" stroke-dasharray="5 4"/>' % r["st"]
    if r.get("fd"):
        lines += '<path d="%s" stroke-width="3" opacity=".3"/>' % r["fd"]
    if lines:
        out.append('<g fill="none" stroke="%s" stroke-linecap="round" stroke-linejoin="round">%s</g>' % (pal.sm, lines))
    if r.get("top"):
        out.append('<path d="%s" fill="%s" stroke="%s" stroke-width="2" stroke-linejoin="round"/>'
                   % (r["top"], mix(pal.f, BG, 0.3), pal.ol))
    out.append(buttons(r, pal))
    if r.get("mt"):
        mt, mts = r.get("mtc", GOLD)
        out.append('<path d="%s" fill="%s" stroke="%s" stroke-width="1.5" fill-rule="evenodd"/>' % (r["mt"], mt, mts))
    if (sx, sy) != (1, 1):
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)


# ----------------------------------------------------------------------------- fabric close-ups

def texture_kind(p):
    m = p["material_tr"].split(";")[0].lower()  # the shell fabric, not the lining
    s, sh = p["slug"], p["shape"]
    if "süet" in m:
        return "suede"
    if "rafya" in m:
        return "straw"
    if "kanvas" in m and sh == "bag":
        return "canvas"
    if "deri" in m:
        return "croc" if "baget" in s else "leather"
    if sh in ("knit",) or "atki" in s or "triko" in s:
        return "knit"
    if "keten" in m:
        return "linen"
    if "jean" in s or "denim" in s or "chino" in s or "kargo" in s or "gabardin" in s or "havuc" in s:
        return "twill"
    if "kadife" in s:
        return "cord"
    if "sisme" in s or "kapitone" in s:
        return "quilt"
    if "bomber" in s or "sifon" in s:
        return "silk"
    if "krep" in p["description_tr"] and "ipek" not in m:
        return "poplin"  # matte crepe
    if "ipek" in m or "saten" in s or "asetat" in m or "viskon" in m or "modal" in m:
        return "silk"
    if "keten" in m:
        return "linen"
    if "yün" in m or "kaşmir" in m:
        return "herring"
    if sh == "tshirt" or "sweat" in s:
        return "jersey"
    return "poplin"


def seeded(slug):
    """A deterministic stream of numbers in [0, 1) from the slug."""
    h = hashlib.sha256(slug.encode()).digest()
    i = 0
    while True:
        yield h[i % 32] / 256
        i += 1
        if i % 32 == 0:
            h = hashlib.sha256(h).digest()


def detail(p):
    pal = Pal(p["colours"][0]["hex"])
    kind = texture_kind(p)
    col = p["colours"][0]["tr"]
    rnd = seeded(p["slug"])
    f, sm, lt, dk = pal.f, pal.sm, pal.lt, pal.dk
    defs = ['<radialGradient id="v" r=".75"><stop offset=".55" stop-opacity="0"/><stop offset="1" stop-opacity=".28"/></radialGradient>']
    over = []
    tile = None
    if kind == "linen":
        tile = ('<pattern id="t" width="8" height="8" patternUnits="userSpaceOnUse"><path d="M0,2H8M0,6H8" stroke="%s" stroke-width="1.6" opacity=".45"/>'
                '<path d="M2,0V8M6,0V8" stroke="%s" stroke-width="1.4" opacity=".35"/></pattern>' % (sm, lt))
        slubs = ""
        for _ in range(14):
            x, y, l = int(next(rnd) * 560), int(next(rnd) * 800) // 4 * 4 + 2, 30 + int(next(rnd) * 90)
            slubs += "M%d,%dh%d" % (x, y, l)
        over.append('<path d="%s" stroke="%s" stroke-width="3" opacity=".35" stroke-linecap="round"/>' % (slubs, sm))
    elif kind == "poplin" or kind == "canvas":
        s = 6 if kind == "poplin" else 12
        tile = ('<pattern id="t" width="%d" height="%d" patternUnits="userSpaceOnUse"><path d="M0,%sH%d" stroke="%s" stroke-width="%s" opacity=".35"/>'
                '<path d="M%s,0V%d" stroke="%s" stroke-width="%s" opacity=".3"/></pattern>'
                % (s, s, n(s / 2), s, sm, n(s / 3), n(s / 2), s, lt, n(s / 3)))
    elif kind == "twill":
        tile = ('<pattern id="t" width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(-35)">'
                '<path d="M0,1.5H7" stroke="%s" stroke-width="1.8" opacity=".45"/><path d="M0,5H4" stroke="%s" stroke-width="1.4" opacity=".35"/></pattern>'
                % (sm, pal.lt))
    elif kind == "cord":
        tile = ('<pattern id="t" width="14" height="14" patternUnits="userSpaceOnUse"><rect width="5" height="14" fill="%s" opacity=".35"/>'
                '<rect x="7" width="5" height="14" fill="%s" opacity=".25"/></pattern>' % (dk, lt))
    elif kind == "knit" or kind == "jersey":
        sc = 1 if kind == "knit" else 0.5
        tile = ('<pattern id="t" width="%s" height="%s" patternUnits="userSpaceOnUse"><path d="M%s,0Q%s,%s %s,%sQ%s,%s %s,0" fill="none" stroke="%s" stroke-width="%s" opacity=".55"/>'
                '<path d="M%s,0Q%s,%s %s,%s" fill="none" stroke="%s" stroke-width="%s" opacity=".45"/></pattern>'
                % (n(24 * sc), n(20 * sc), n(2 * sc), n(4 * sc), n(16 * sc), n(12 * sc), n(20 * sc), n(20 * sc), n(16 * sc), n(22 * sc),
                   sm, n(3.5 * sc), n(3 * sc), n(5 * sc), n(14 * sc), n(12 * sc), n(19 * sc), lt, n(2 * sc)))
    elif kind == "herring":
        tile = ('<pattern id="t" width="20" height="16" patternUnits="userSpaceOnUse"><path d="M0,0L10,8L0,16M10,-8L20,0L10,8L20,16" '
                'fill="none" stroke="%s" stroke-width="2.5" opacity=".5"/></pattern>' % sm)
    elif kind == "leather" or kind == "suede":
        def specks(size, count, r0, r1):
            return "".join('<circle cx="%s" cy="%s" r="%s"/>' % (n(next(rnd) * size), n(next(rnd) * size), n(r0 + next(rnd) * (r1 - r0)))
                           for _ in range(count))
        tile = ('<pattern id="t" width="61" height="61" patternUnits="userSpaceOnUse"><g fill="%s" opacity=".5">%s</g></pattern>'
                '<pattern id="u" width="37" height="37" patternUnits="userSpaceOnUse"><g fill="%s" opacity=".35">%s</g></pattern>'
                % (dk, specks(61, 14 if kind == "leather" else 24, 0.5, 1.6), lt, specks(37, 6 if kind == "leather" else 14, 0.5, 1.3)))
        over.append('<rect width="600" height="800" fill="url(#u)"/>')
        if kind == "leather":
            creases = ""
            for _ in range(22):
                x, y = next(rnd) * 600, next(rnd) * 560
                dx, dy = 14 + next(rnd) * 30, next(rnd) * 12 - 6
                creases += "M%s,%sq%s,%s %s,%s" % (n(x), n(y), n(dx / 2), n(dy - 6), n(dx), n(dy))
            over.append('<path d="%s" fill="none" stroke="%s" stroke-width="1.4" opacity=".35"/>' % (creases, dk))
    elif kind == "croc":
        tile = pattern("croc", pal).replace('id="p"', 'id="t"').replace('opacity=".4"', 'opacity=".55" stroke-width="2"')
    elif kind == "straw":
        tile = ('<pattern id="t" width="40" height="40" patternUnits="userSpaceOnUse"><g fill="%s" stroke="%s" stroke-width="1.5">'
                '<rect x="1" y="1" width="18" height="18" rx="3"/><rect x="21" y="21" width="18" height="18" rx="3"/></g>'
                '<path d="M24,4h12M24,10h12M24,16h12M4,24v12M10,24v12M16,24v12M4,4v12M10,4v12M16,4v12M24,24h12M24,30h12M24,36h12" stroke="%s" stroke-width="1.5" opacity=".6"/></pattern>'
                % (lt, sm, sm))
    elif kind == "quilt":
        defs.append('<linearGradient id="q" x2="0" y2="1"><stop offset="0" stop-color="#fff" stop-opacity=".25"/>'
                    '<stop offset=".5" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-opacity=".3"/></linearGradient>')
        tile = ('<pattern id="t" width="600" height="110" patternUnits="userSpaceOnUse"><rect width="600" height="110" fill="url(#q)"/>'
                '<path d="M0,108H600" stroke="%s" stroke-width="2.5" stroke-dasharray="6 4"/></pattern>' % sm)
    elif kind == "silk":
        defs.append('<linearGradient id="s" x1="0" y1="0" x2="1" y2="1">' + "".join(
            '<stop offset="%s" stop-color="%s" stop-opacity="%s"/>' % (o, c, a) for o, c, a in
            ((0, "#fff", 0), (.18, "#fff", .35), (.3, "#000", .12), (.45, "#fff", .05), (.58, "#fff", .4),
             (.72, "#000", .2), (.86, "#fff", .2), (1, "#000", .1))) + "</linearGradient>")
        over.append('<rect width="600" height="800" fill="url(#s)"/>')
        if "twill" in p["slug"]:
            tile = ('<pattern id="t" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(-40)">'
                    '<path d="M0,4H8" stroke="%s" stroke-width="1.5" opacity=".3"/></pattern>' % sm)
    if tile:
        defs.append(tile)
    body = ['<rect width="600" height="800" fill="%s"/>' % f]
    if "Çiçekli" in col or "Çizgili" in col:
        defs.append(pattern("floral" if "Çiçekli" in col else "stripe", pal).replace('width="44" height="44"', 'width="88" height="88" patternTransform="scale(2)"', 1))
        body.append('<rect width="600" height="800" fill="url(#p)"/>')
    if tile:
        body.append('<rect width="600" height="800" fill="url(#t)"/>')
    body += over
    # one construction detail so the close-up reads as a garment, not a swatch
    sh = p["shape"]
    if kind in ("leather", "croc", "suede"):
        body.append('<path d="M0,610Q300,580 600,610V800H0Z" fill="%s" opacity=".5"/>' % dk)
        body.append('<path d="M0,590Q300,560 600,590" fill="none" stroke="%s" stroke-width="3" stroke-dasharray="10 8"/>' % pal.lt)
    elif (sh == "shirt" or "gomlek" in p["slug"]) and kind not in ("silk", "knit", "jersey"):
        body.append('<path d="M270,0V800M330,0V800" stroke="%s" stroke-width="3" opacity=".7"/>' % sm)
        body.append('<g fill="%s" stroke="%s" stroke-width="2">%s</g>' % (pal.btn, pal.ol, "".join(
            '<circle cx="300" cy="%d" r="22"/>' % y for y in (170, 430, 690))))
        body.append('<g fill="%s">%s</g>' % (pal.ol, "".join(
            '<circle cx="%d" cy="%d" r="3.5"/>' % (x, y) for y in (170, 430, 690) for x in (293, 307))))
    elif kind in ("knit", "jersey") and sh in ("knit", "tshirt", "dress"):
        body.append('<rect y="600" width="600" height="200" fill="%s"/>' % f)
        body.append('<path d="%s" stroke="%s" stroke-width="7" opacity=".4"/>'
                    % ("".join("M%d,600V800" % x for x in range(8, 600, 16)), sm))
        body.append('<path d="M0,600H600" stroke="%s" stroke-width="3"/>' % sm)
    elif kind != "silk" or sh in ("blouse", "dress", "skirt"):
        body.append('<path d="M-20,520Q300,470 620,540" fill="none" stroke="%s" stroke-width="3" opacity=".8"/>' % sm)
        body.append('<path d="M-20,540Q300,490 620,560" fill="none" stroke="%s" stroke-width="2" stroke-dasharray="9 6"/>' % sm)
    body.append('<rect width="600" height="800" fill="url(#v)"/>')
    return "".join([HEAD, "<defs>", *defs, "</defs>", *body, "</svg>"])


# ----------------------------------------------------------------------------- main

def main():
    data = json.loads(SRC.read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = {}
    for p in data["products"]:
        cols = [c["hex"] for c in p["colours"]]
        wanted["%s-1.svg" % p["slug"]] = draw(p, cols[0])
        wanted["%s-2.svg" % p["slug"]] = detail(p)
        if len(cols) > 1:
            wanted["%s-3.svg" % p["slug"]] = draw(p, cols[1])
    total = 0
    for name, svg in sorted(wanted.items()):
        data_ = svg.encode("utf-8")
        path = OUT / name
        if not path.exists() or path.read_bytes() != data_:
            path.write_bytes(data_)
        total += len(data_)
    removed = 0
    for path in sorted(OUT.glob("*.svg")):
        if re.fullmatch(r".+-\d+\.svg", path.name) and path.name not in wanted:
            path.unlink()
            removed += 1
    biggest = max(len(s.encode()) for s in wanted.values())
    print("wrote %d files into %s, %d bytes in total (largest %d bytes)%s"
          % (len(wanted), OUT.relative_to(ROOT), total, biggest, "; removed %d stale" % removed if removed else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
