"""The image-based tracing a lab does in Fiji today, done with scikit-image: the gold bench's peer.

Fiji's route to a tree without a tracer: Subtract Background, a global threshold, Skeletonize, then the graph of the
skeleton (AnalyzeSkeleton, or SNT's tracing of a skeletonised image) with the ends shorter than a length pruned. Here:
a grey top-hat (an opening over a square MARGIN px across) for the background, a Gaussian of sigma 1 px, Otsu's
threshold, holes under 30 px filled, the connected piece nearest the click kept, skeletonize, the skeleton's pixels
walked breadth-first from the one nearest the click (8-connected; a loop is cut where the walk closes it), the click
joined to it as the root, each end branch shorter than the pruning length dropped once (AnalyzeSkeleton's "prune
ends"), and each chain between branch points and ends averaged over SMOOTH px (the 8-connected staircase would add up
to 8 % to every length, which DIADEM's path-length test rejects; SNT can smooth a path the same way).

Reads a JSON list of {path, width, height, root: [x, y], prunePx: [...]} on stdin (path: little-endian uint16 rows);
writes a JSON list of {trees: [{x, y, parent}, ...] (one per pruning length; document px, pixel centres at +0.5),
ms} on stdout, ms the time from the image to the first tree.
"""
import json
import sys
import time
from collections import deque

import numpy as np
from scipy import ndimage as ndi
from skimage.filters import gaussian, threshold_otsu
from skimage.morphology import remove_small_holes, skeletonize

MARGIN = 31
SMOOTH = 5
NEIGHBOURS = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx]


def skeleton_tree(img, root):
    """The skeleton of the foreground piece nearest the click as (pixels, parent), walked from the click's end."""
    h, w = img.shape
    flat = img - ndi.grey_opening(img, size=(MARGIN, MARGIN))
    smooth = gaussian(flat, sigma=1, preserve_range=True)
    mask = remove_small_holes(smooth > threshold_otsu(smooth), max_size=29)
    pieces, n = ndi.label(mask, structure=np.ones((3, 3)))
    if n == 0:
        return [], []
    ys, xs = np.nonzero(pieces)
    nearest = np.argmin((xs + 0.5 - root[0]) ** 2 + (ys + 0.5 - root[1]) ** 2)
    skel = skeletonize(pieces == pieces[ys[nearest], xs[nearest]])
    sy, sx = np.nonzero(skel)
    start = np.argmin((sx + 0.5 - root[0]) ** 2 + (sy + 0.5 - root[1]) ** 2)
    index = -np.ones((h, w), dtype=np.int64)
    index[sy[start], sx[start]] = 0
    pixels, parent = [(int(sy[start]), int(sx[start]))], [-1]
    queue = deque([0])
    while queue:
        i = queue.popleft()
        y, x = pixels[i]
        for dy, dx in NEIGHBOURS:
            v, u = y + dy, x + dx
            if 0 <= v < h and 0 <= u < w and skel[v, u] and index[v, u] < 0:
                index[v, u] = len(pixels)
                pixels.append((v, u))
                parent.append(i)
                queue.append(index[v, u])
    return pixels, parent


def pruned(pixels, parent, root, prune_px):
    """The tree with its end branches under prune_px dropped and its chains smoothed, the click as its root."""
    kids = [0] * len(pixels)
    for p in parent:
        if p >= 0:
            kids[p] += 1
    step = lambda a, b: float(np.hypot(pixels[a][0] - pixels[b][0], pixels[a][1] - pixels[b][1]))
    dropped = set()
    for tip in range(len(pixels)):
        if kids[tip] != 0:
            continue
        run, chain, j = 0.0, [tip], tip
        while parent[j] >= 0 and kids[parent[j]] == 1:
            run += step(j, parent[j])
            j = parent[j]
            chain.append(j)
        if parent[j] >= 0 and run + step(j, parent[j]) < prune_px:
            dropped.update(chain)
    keep = [i for i in range(len(pixels)) if i not in dropped]
    children = {i: [] for i in keep}
    for i in keep:
        if parent[i] >= 0:
            children[parent[i]].append(i)
    yx = {i: pixels[i] for i in keep}
    for i in keep:
        if parent[i] >= 0 and len(children[i]) == 1:
            continue
        for c in children[i]:
            chain = [i, c]
            while len(children[chain[-1]]) == 1:
                chain.append(children[chain[-1]][0])
            pts = np.array([pixels[j] for j in chain], dtype=np.float64)
            for k in range(1, len(chain) - 1):
                yx[chain[k]] = tuple(pts[max(0, k - SMOOTH // 2) : k + SMOOTH // 2 + 1].mean(axis=0))
    renumber = {old: new + 1 for new, old in enumerate(keep)}
    return {
        "x": [float(root[0])] + [float(yx[i][1]) + 0.5 for i in keep],
        "y": [float(root[1])] + [float(yx[i][0]) + 0.5 for i in keep],
        "parent": [-1] + [renumber[parent[i]] if parent[i] >= 0 else 0 for i in keep],
    }


def main():
    out = []
    for job in json.load(sys.stdin):
        img = np.fromfile(job["path"], dtype="<u2").reshape(job["height"], job["width"]).astype(np.float64)
        t0 = time.perf_counter()
        pixels, parent = skeleton_tree(img, job["root"])
        trees, ms = [], None
        for px in job["prunePx"]:
            trees.append(pruned(pixels, parent, job["root"], px))
            ms = ms if ms is not None else (time.perf_counter() - t0) * 1000
        out.append({"trees": trees, "ms": ms})
    json.dump(out, sys.stdout)


main()
