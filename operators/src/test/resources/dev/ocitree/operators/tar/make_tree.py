# Builds a deterministic directory tree for the tar tools to archive: regular files of several sizes
# (0, 13, 512, 300 000 bytes), modes (0755, 0700, 04755), nested and empty directories, a name
# longer than 100 bytes, a symlink, a hardlink, a non-ASCII name and, in the "full" variant, a path
# longer than 255 bytes and a symlink target longer than 100 bytes (which ustar cannot store), and
# user xattrs (text and binary) when the file system supports them.
# The "mini" variant (for feeding every split point) has only small.txt, exec.sh, a 120-byte name,
# a 153-byte symlink target, a hardlink and a directory.
#   make_tree.py ROOT full|ustar|mini
import os, random, sys

root, variant = sys.argv[1], sys.argv[2]
os.makedirs(root)

def write(rel, data, mode=0o644):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)

def set_xattrs(path):
    os.setxattr(path, "user.test", b"hello")
    os.setxattr(path, "user.binary", b"\x00\x01\xfe\xff")

rnd = random.Random(4)
write("small.txt", b"hello, world\n")
write("exec.sh", b"#!/bin/sh\necho hi\n", 0o755)
os.link(os.path.join(root, "small.txt"), os.path.join(root, "hard"))
if variant == "mini":
    write("d/" + "n" * 120, b"long name\n")
    os.symlink("../" + "t" * 150, os.path.join(root, "link-long"))
    set_xattrs(os.path.join(root, "small.txt"))
else:
    write("empty", b"")
    write("exactly-512.bin", bytes(rnd.getrandbits(8) for _ in range(512)))
    write("big.bin", rnd.randbytes(300_000))
    write("setuid-bin", b"\x7fELF", 0o4755)
    write("d1/d2/d3/deep.txt", b"deep\n")
    os.makedirs(os.path.join(root, "emptydir"))
    os.chmod(os.path.join(root, "emptydir"), 0o700)
    write("long/" + "n" * 60 + "/" + "m" * 60, b"long name, splittable for ustar\n")
    write("\u00fcn\u00efc\u00f8d\u00e9-\u540d\u524d.txt", "unicode\n".encode())
    os.symlink("small.txt", os.path.join(root, "link-short"))
if variant == "full":
    write("long/" + "n" * 120, b"long name\n")
    write("long/" + "a" * 100 + "/" + "b" * 100 + "/" + "c" * 80, b"very long path\n")
    os.symlink("../" + "t" * 150, os.path.join(root, "link-long"))
    set_xattrs(os.path.join(root, "small.txt"))

for dirpath, dirnames, filenames in os.walk(root, topdown=False):
    for name in filenames + dirnames:
        os.utime(os.path.join(dirpath, name), (1700000000, 1700000000), follow_symlinks=False)
os.utime(root, (1700000000, 1700000000))
