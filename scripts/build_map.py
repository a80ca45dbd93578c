#!/usr/bin/env python3
"""Builds assets/map/countries-110m.txt, the map's country outlines, from world-atlas.

The outlines are Natural Earth's 1:110m Admin 0 countries (public domain) as the npm package
`world-atlas` 2.0.2 carries them (TopoJSON, quantized). Each TopoJSON arc (a border between two
countries, or a coast) is decoded once and written as one line of `lon,lat` pairs, two
decimals, separated by spaces, so the app draws every border once. Lines starting with `#` are
comments.

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3 scripts/build_map.py /tmp/package/countries-110m.json > assets/map/countries-110m.txt
"""

import json
import sys


def decode_arcs(topology):
    """The arcs as lists of (lon, lat), undoing the delta encoding and the quantization."""
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def thin(points):
    """Drops points that round to the same two-decimal position as the one before."""
    out = []
    for lon, lat in points:
        cell = (round(lon, 2), round(lat, 2))
        if not out or out[-1] != cell:
            out.append(cell)
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: build_map.py countries-110m.json > assets/map/countries-110m.txt")
    with open(sys.argv[1], encoding="utf-8") as f:
        topology = json.load(f)
    print("# Natural Earth 1:110m country borders and coasts (public domain), via world-atlas 2.0.2")
    print("# One polyline per line: lon,lat pairs in degrees. Made by scripts/build_map.py.")
    for points in decode_arcs(topology):
        points = thin(points)
        if len(points) < 2:
            continue
        print(" ".join(f"{lon:.2f},{lat:.2f}" for lon, lat in points))


if __name__ == "__main__":
    main()
