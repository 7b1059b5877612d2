#!/usr/bin/env python3
"""Where the shipped wasm's brotli bytes are, by function and by group of functions.

    python3 tools/wasm_size.py names                      # writes target/wasm-size/main.names.wasm
    python3 tools/wasm_size.py top [N]                    # the N largest functions (raw bytes)
    python3 tools/wasm_size.py groups REGEX [REGEX ...]   # brotli bytes each group costs
    python3 tools/wasm_size.py index I[,I...]             # names of function indices (a trap's stack)

Run after `cargo xtask build`. `names` repeats the build's last steps on the split main module
(`target/split/main.wasm`) with names kept (wasm-bindgen `--keep-debug`, `wasm-opt -Oz -g`):
the function bodies and indices are those of `dist/xiafang-*_bg.wasm`, which the script checks.
A group's cost is measured, not estimated: its functions' bodies are replaced by `unreachable`
and the module is compressed again (brotli -q 11, Debian's `brotli`), so a group's cost counts
what brotli could not share with the rest. Names are Rust's v0 mangling; a regex such as
`13leptos_router` matches every function whose path or generic arguments name that crate.
docs/PERFORMANCE.md "Where the bytes are" explains the figures.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "wasm-size")
NAMED = os.path.join(WORK, "main.names.wasm")
# The same features as xtask/src/bundles.rs `WASM_OPT_FEATURES`.
FEATURES = ["--enable-simd", "--enable-reference-types", "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals",
            "--enable-multivalue"]


def leb(b, i):
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def uleb(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def name_str(b, i):
    n, i = leb(b, i)
    return b[i:i + n].decode("utf-8", "replace"), i + n


def parse(path):
    """(bytes, function imports, [(offset, size)] of bodies, {index: name})."""
    b = open(path, "rb").read()
    i, imports, bodies, names = 8, 0, [], {}
    while i < len(b):
        sid = b[i]
        size, i = leb(b, i + 1)
        end = i + size
        if sid == 2:  # imports: only function imports shift the indices
            n, j = leb(b, i)
            for _ in range(n):
                _, j = name_str(b, j)
                _, j = name_str(b, j)
                kind = b[j]
                j += 1
                if kind == 0:
                    _, j = leb(b, j)
                    imports += 1
                elif kind in (1, 2):  # table (reftype first) or memory: limits
                    j += kind == 1
                    flags = b[j]
                    _, j = leb(b, j + 1)
                    if flags & 1:
                        _, j = leb(b, j)
                elif kind == 3:
                    j += 2
                elif kind == 4:
                    _, j = leb(b, j + 1)
        elif sid == 10:
            n, j = leb(b, i)
            for _ in range(n):
                sz, j = leb(b, j)
                bodies.append((j, sz))
                j += sz
        elif sid == 0:
            custom, j = name_str(b, i)
            while custom == "name" and j < end:
                sub = b[j]
                ssz, j = leb(b, j + 1)
                if sub == 1:
                    n, k = leb(b, j)
                    for _ in range(n):
                        idx, k = leb(b, k)
                        names[idx], k = name_str(b, k)
                j += ssz
        i = end
    return b, imports, bodies, names


def shipped():
    found = glob.glob(os.path.join(ROOT, "dist", "xiafang-*_bg.wasm"))
    if len(found) != 1:
        sys.exit("run `cargo xtask build` first: dist/ holds no single main wasm")
    return found[0]


def brotli_size(data):
    with tempfile.NamedTemporaryFile(delete=False) as f:
        f.write(data)
    try:
        out = subprocess.run(["brotli", "-q", "11", "-c", f.name], capture_output=True, check=True)
    finally:
        os.unlink(f.name)
    return len(out.stdout)


def blanked(b, imports, bodies, indices):
    """`b` with the bodies of `indices` replaced by `unreachable`."""
    out, i = bytearray(b[:8]), 8
    while i < len(b):
        sid = b[i]
        size, j = leb(b, i + 1)
        end = j + size
        if sid != 10:
            out += b[i:end]
        else:
            section = bytearray(uleb(len(bodies)))
            for k, (offset, sz) in enumerate(bodies):
                body = b"\x00\x00\x0b" if imports + k in indices else b[offset:offset + sz]
                section += uleb(len(body)) + body
            out += bytes([10]) + uleb(len(section)) + section
        i = end
    return bytes(out)


def names_build():
    os.makedirs(WORK, exist_ok=True)
    pkg = os.path.join(WORK, "pkg")
    subprocess.run(["wasm-bindgen", os.path.join(ROOT, "target", "split", "main.wasm"),
                    "--out-dir", pkg, "--out-name", "xiafang", "--target", "web", "--no-demangle",
                    "--keep-lld-exports", "--no-typescript", "--keep-debug"], check=True)
    wasm_opt = os.path.join(ROOT, "tools", "node_modules", ".bin", "wasm-opt")
    subprocess.run([wasm_opt, "-Oz", "-g", *FEATURES, os.path.join(pkg, "xiafang_bg.wasm"),
                    "-o", NAMED], check=True)


def named():
    """The shipped module and the names of its functions, checked to be the same code."""
    b, imports, bodies, _ = parse(shipped())
    if not os.path.exists(NAMED):
        names_build()
    nb, nimports, nbodies, names = parse(NAMED)
    same = imports == nimports and [s for _, s in bodies] == [s for _, s in nbodies]
    if not same:
        sys.exit("the names-kept build is not the shipped wasm's code: run `names` again")
    return b, imports, bodies, names


def main(args):
    command = args[0] if args else "top"
    if command == "names":
        names_build()
        named()
        print(NAMED)
    elif command == "top":
        _, imports, bodies, names = named()
        rows = sorted(((s, imports + k) for k, (_, s) in enumerate(bodies)), reverse=True)
        for size, index in rows[:int(args[1]) if len(args) > 1 else 40]:
            print(f"{index}\t{size}\t{names.get(index, '?')}")
    elif command == "index":
        _, imports, bodies, names = named()
        for index in map(int, args[1].split(",")):
            size = bodies[index - imports][1] if index >= imports else 0
            print(f"{index}\t{size}\t{names.get(index, '(import)' if index < imports else '?')}")
    elif command == "groups":
        b, imports, bodies, names = named()
        whole = brotli_size(b)
        print(f"whole\t{len(b)} raw\t{whole} brotli")
        for pattern in args[1:]:
            rx = re.compile(pattern)
            indices = {i for i, n in names.items() if i >= imports and rx.search(n)}
            raw = sum(bodies[i - imports][1] for i in indices)
            cost = whole - brotli_size(blanked(b, imports, bodies, indices))
            print(f"{pattern}\t{len(indices)} functions\t{raw} raw\t{cost} brotli")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
