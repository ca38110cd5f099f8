# Reference listing of a tar archive by Python's tarfile module, one entry per line, tab-separated:
# path type size mode uid gid uname gname mtime linkname devmajor devminor xattrs sha256 headeroffset firstoffset
# Strings are hex-encoded UTF-8 ("-" when empty); xattrs are "hexname=hexvalue" joined by ",";
# sha256 is the content digest for regular files, "-" otherwise. mtime is rounded down to seconds.
# headeroffset is the offset of the member's own header block (after PAX/GNU extension headers),
# firstoffset the offset of its first header block (its first extension header, if any).
import base64, hashlib, math, sys, tarfile, urllib.parse

TYPES = {tarfile.REGTYPE: "REGULAR", tarfile.AREGTYPE: "REGULAR", tarfile.CONTTYPE: "REGULAR",
         tarfile.DIRTYPE: "DIRECTORY", tarfile.SYMTYPE: "SYMLINK", tarfile.LNKTYPE: "HARDLINK",
         tarfile.CHRTYPE: "CHAR_DEVICE", tarfile.BLKTYPE: "BLOCK_DEVICE", tarfile.FIFOTYPE: "FIFO"}

def hx(s):
    if isinstance(s, str):
        s = s.encode("utf-8", "surrogateescape")
    return s.hex() if s else "-"

with tarfile.open(sys.argv[1], "r:") as archive:
    for m in archive:
        xattrs = {}
        for key, value in m.pax_headers.items():
            if key.startswith("LIBARCHIVE.xattr."):
                name = urllib.parse.unquote_to_bytes(key[len("LIBARCHIVE.xattr."):])
                xattrs[name] = base64.b64decode(value + "=" * (-len(value) % 4))
        for key, value in m.pax_headers.items():
            if key.startswith("SCHILY.xattr."):
                xattrs[key[len("SCHILY.xattr."):].encode("utf-8")] = value.encode("utf-8", "surrogateescape")
        digest = "-"
        if m.isreg():
            h = hashlib.sha256()
            f = archive.extractfile(m)
            for block in iter(lambda: f.read(1 << 16), b""):
                h.update(block)
            digest = h.hexdigest()
        print("\t".join([hx(m.name), TYPES[m.type], str(m.size), oct(m.mode & 0o7777)[2:], str(m.uid), str(m.gid),
                         hx(m.uname), hx(m.gname), str(math.floor(m.mtime)), hx(m.linkname), str(m.devmajor),
                         str(m.devminor), ",".join(k.hex() + "=" + v.hex() for k, v in sorted(xattrs.items())) or "-",
                         digest, str(m.offset_data - 512), str(m.offset)]))
