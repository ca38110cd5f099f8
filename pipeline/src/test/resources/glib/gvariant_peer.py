#!/usr/bin/env python3
"""GLib as the reference GVariant implementation for GLibCrossCheckTest.

Reads JSON lines from stdin and writes one line per request:
  {"op": "serialize", "type": T, "value": V}  -> hex of GLib's serialisation of the value
  {"op": "normal", "type": T, "hex": H}       -> "true" / "false": g_variant_is_normal_form
Values are structural: numbers, strings, booleans, lists (arrays, tuples, dict entries as [k, v]),
{"t": type, "v": value} for a variant, null or {"just": value} for a maybe.
"""
import json
import sys

import gi
gi.require_version("GLib", "2.0")
from gi.repository import GLib  # noqa: E402

BASIC = {
    "y": GLib.Variant.new_byte, "b": GLib.Variant.new_boolean, "n": GLib.Variant.new_int16,
    "q": GLib.Variant.new_uint16, "i": GLib.Variant.new_int32, "u": GLib.Variant.new_uint32,
    "x": GLib.Variant.new_int64, "t": GLib.Variant.new_uint64, "h": GLib.Variant.new_handle,
    "d": GLib.Variant.new_double, "s": GLib.Variant.new_string, "o": GLib.Variant.new_object_path,
    "g": GLib.Variant.new_signature,
}


def type_end(s, i):
    """Index just after the complete type starting at s[i]."""
    c = s[i]
    if c in "am":
        return type_end(s, i + 1)
    if c in "({":
        i += 1
        while s[i] not in ")}":
            i = type_end(s, i)
        return i + 1
    return i + 1


def members(s):
    i = 1
    while s[i] not in ")}":
        j = type_end(s, i)
        yield GLib.VariantType.new(s[i:j])
        i = j


def build(vt, v):
    s = vt.dup_string()
    c = s[0]
    if c in BASIC:
        return BASIC[c](v)
    if c == "v":
        return GLib.Variant.new_variant(build(GLib.VariantType.new(v["t"]), v["v"]))
    if c == "a":
        e = vt.element()
        return GLib.Variant.new_array(e, [build(e, x) for x in v])
    if c == "m":
        e = vt.element()
        return GLib.Variant.new_maybe(e, None if v is None else build(e, v["just"]))
    ms = list(members(s))
    children = [build(m, x) for m, x in zip(ms, v)]
    if c == "{":
        return GLib.Variant.new_dict_entry(children[0], children[1])
    return GLib.Variant.new_tuple(*children)


for line in sys.stdin:
    req = json.loads(line)
    vt = GLib.VariantType.new(req["type"])
    if req["op"] == "serialize":
        out = bytes(build(vt, req["value"]).get_data_as_bytes().get_data()).hex()
    else:
        data = GLib.Bytes.new(bytes.fromhex(req["hex"]))
        out = "true" if GLib.Variant.new_from_bytes(vt, data, False).is_normal_form() else "false"
    sys.stdout.write(out + "\n")
