# Writes a tar archive with Python's tarfile, in GNU, PAX or USTAR format, with entries a file
# system cannot easily provide without root: character and block devices, a FIFO, an owner id
# beyond 8 octal digits (GNU: base-256), a negative mtime (GNU: base-256), PAX xattrs (binary
# value), a PAX global header and a fractional mtime, long names and link targets.
#   make_python_tar.py OUT gnu|pax|ustar
import io, sys, tarfile

out, fmt = sys.argv[1], sys.argv[2]
format = {"gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT, "ustar": tarfile.USTAR_FORMAT}[fmt]
global_headers = {"comment": "written by make_python_tar.py", "uname": "globaluser"} if fmt == "pax" else None

def info(name, type=tarfile.REGTYPE, **kw):
    ti = tarfile.TarInfo(name)
    ti.type = type
    ti.mtime = 1600000000
    ti.mode = 0o644
    ti.uid, ti.gid, ti.uname, ti.gname = 1000, 1000, "user", "group"
    for k, v in kw.items():
        setattr(ti, k, v)
    return ti

with tarfile.open(out, "w", format=format, pax_headers=global_headers) as t:
    t.addfile(info("dir", tarfile.DIRTYPE, mode=0o755))
    data = bytes(range(256)) * 41
    t.addfile(info("dir/file.bin", size=len(data)), io.BytesIO(data))
    t.addfile(info("dir/tty", tarfile.CHRTYPE, devmajor=4, devminor=64, mode=0o620))
    t.addfile(info("dir/sda", tarfile.BLKTYPE, devmajor=8, devminor=0, mode=0o660))
    t.addfile(info("dir/fifo", tarfile.FIFOTYPE))
    t.addfile(info("dir/contiguous", tarfile.CONTTYPE, size=5), io.BytesIO(b"abcde"))
    t.addfile(info("dir/sym", tarfile.SYMTYPE, linkname="file.bin"))
    t.addfile(info("dir/hard", tarfile.LNKTYPE, linkname="dir/file.bin"))
    t.addfile(info("dir/" + "x" * 90 + "/" + "y" * 90, size=3), io.BytesIO(b"xy\n"))
    if fmt != "ustar":
        t.addfile(info("dir/big-uid", uid=10_000_000, gid=3_000_000_000, size=1), io.BytesIO(b"u"))
        t.addfile(info("dir/" + "z" * 300, size=2), io.BytesIO(b"z\n"))
        t.addfile(info("dir/long-sym", tarfile.SYMTYPE, linkname="/" + "w" * 200))
    if fmt == "gnu":
        t.addfile(info("dir/before-1970", mtime=-1000, size=0))
    if fmt == "pax":
        t.addfile(info("dir/xattrs", size=4, mtime=1600000000.75,
                       pax_headers={"SCHILY.xattr.user.text": "value",
                                    "SCHILY.xattr.security.bin": b"\x00\xff\x10".decode("utf-8", "surrogateescape"),
                                    "uname": "paxuser"}),
                  io.BytesIO(b"pax\n"))
        t.addfile(info("dir/unicode-\u00e9\u00e8", size=1), io.BytesIO(b"u"))
