#!/usr/bin/env python3
"""Decodes a pcap file (Ethernet link type) into one JSON object per frame, recomputing the
IPv4 header checksum and the TCP/UDP checksum from scratch (RFC 1071), independently of the
agent core's incremental updates. Used by the dpdk golden tests as the independent checker.

usage: pcap_decode.py FILE.pcap   -> JSON lines on stdout
"""
import json
import struct
import sys


def ones_complement_sum(data):
    if len(data) % 2:
        data += b"\0"
    total = 0
    for (word,) in struct.iter_unpack("!H", data):
        total += word
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def ip_str(b):
    return ".".join(str(x) for x in b)


def tcp_options(opts):
    out = []
    i = 0
    while i < len(opts):
        kind = opts[i]
        if kind == 0:
            break
        if kind == 1:
            i += 1
            continue
        if i + 1 >= len(opts) or opts[i + 1] < 2:
            out.append({"kind": kind, "malformed": True})
            break
        length = opts[i + 1]
        out.append({"kind": kind, "value": opts[i + 2:i + length].hex()})
        i += length
    return out


def decode_frame(frame):
    rec = {"frame_len": len(frame)}
    if len(frame) < 14:
        rec["error"] = "runt"
        return rec
    (eth_type,) = struct.unpack("!H", frame[12:14])
    rec["eth_dst"] = frame[0:6].hex(":")
    rec["eth_src"] = frame[6:12].hex(":")
    rec["eth_type"] = "0x%04x" % eth_type
    if eth_type != 0x0800:
        return rec
    ip = frame[14:]
    if len(ip) < 20 or ip[0] >> 4 != 4:
        rec["error"] = "not ipv4"
        return rec
    ihl = (ip[0] & 0x0F) * 4
    (total,) = struct.unpack("!H", ip[2:4])
    rec.update({
        "src": ip_str(ip[12:16]),
        "dst": ip_str(ip[16:20]),
        "proto": ip[9],
        "ip_len": total,
        "ttl": ip[8],
        "ip_checksum_ok": ihl >= 20 and ones_complement_sum(ip[:ihl]) == 0xFFFF,
    })
    if ihl < 20 or total > len(ip) or total < ihl:
        rec["error"] = "bad ipv4 lengths"
        return rec
    l4 = ip[ihl:total]
    pseudo = ip[12:20] + struct.pack("!BBH", 0, ip[9], len(l4))
    if ip[9] == 6 and len(l4) >= 20:
        sport, dport, seq, ack, off_flags, win = struct.unpack("!HHIIHH", l4[:16])
        doff = (off_flags >> 12) * 4
        rec.update({
            "sport": sport,
            "dport": dport,
            "seq": seq,
            "ack": ack,
            "flags": off_flags & 0x1FF,
            "window": win,
            "l4_checksum_ok": ones_complement_sum(pseudo + l4) == 0xFFFF,
            "options": tcp_options(l4[20:doff]),
            "payload": l4[doff:].hex(),
        })
    elif ip[9] == 17 and len(l4) >= 8:
        sport, dport, ulen, csum = struct.unpack("!HHHH", l4[:8])
        rec.update({
            "sport": sport,
            "dport": dport,
            "l4_checksum_ok": csum == 0 or ones_complement_sum(pseudo + l4) == 0xFFFF,
            "payload": l4[8:].hex(),
        })
    return rec


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    if len(data) < 24:
        sys.exit("not a pcap file: " + sys.argv[1])
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype != 1:
        sys.exit("link type %d is not Ethernet" % linktype)
    pos = 24
    while pos + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[pos:pos + 16])
        frame = data[pos + 16:pos + 16 + incl]
        pos += 16 + incl
        print(json.dumps(decode_frame(frame), sort_keys=True))


if __name__ == "__main__":
    main()
