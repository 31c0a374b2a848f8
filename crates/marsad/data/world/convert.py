#!/usr/bin/env python3
"""Convert world-atlas's countries-110m.json (TopoJSON) into countries.tsv.

Run once, by hand, when the shapes should change:

    npm install --prefix /tmp/wa world-atlas@2
    python3 crates/marsad/data/world/convert.py \
        /tmp/wa/node_modules/world-atlas/countries-110m.json \
        > crates/marsad/data/world/countries.tsv

Output: one line per country, `id<TAB>name<TAB>path`, where `id` is the ISO
3166-1 numeric code given by world-atlas, and `path` is an SVG path in an
equirectangular projection with 10 units per degree: x = (lon + 180) * 10,
y = (90 - lat) * 10, so the whole world is the box 0 0 3600 1800. Points
are rounded to whole units (0.1 degree) and repeated points dropped, which
is all the simplification a 110m map needs at page size.

The TopoJSON arcs are delta-encoded and quantized: each arc's points are
cumulative sums, scaled by `transform.scale` and shifted by
`transform.translate`; a negative arc index ~i means arc i reversed.
Standard library only.
"""

import json
import sys


def main(path):
    with open(path, encoding="utf-8") as f:
        topo = json.load(f)
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            lon = x * sx + tx
            lat = y * sy + ty
            pts.append((round((lon + 180) * 10), round((90 - lat) * 10)))
        arcs.append(pts)

    def ring(indices):
        out = []
        for i in indices:
            pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            # Consecutive arcs share their end point.
            out.extend(pts if not out else pts[1:])
        dedup = []
        for p in out:
            if not dedup or dedup[-1] != p:
                dedup.append(p)
        return dedup

    def ring_path(pts):
        if len(pts) < 3:
            return ""
        d = "M%d %d" % pts[0]
        prev = pts[0]
        # Relative line-to commands keep the file small.
        d += "l" + " ".join("%d %d" % (x - px, y - py) for (x, y), (px, py) in zip(pts[1:], pts[:-1]))
        return d + "z"

    out = sys.stdout
    out.write("# Natural Earth 1:110m countries (public domain) via world-atlas (ISC); see README.md\n")
    for g in topo["objects"]["countries"]["geometries"]:
        if g["type"] == "Polygon":
            polys = [g["arcs"]]
        elif g["type"] == "MultiPolygon":
            polys = g["arcs"]
        else:
            continue
        d = "".join(ring_path(ring(r)) for poly in polys for r in poly)
        if not d:
            continue
        name = g.get("properties", {}).get("name", "")
        out.write("%s\t%s\t%s\n" % (g.get("id", ""), name, d))


if __name__ == "__main__":
    main(sys.argv[1])
