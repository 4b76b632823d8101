"""An independent, deliberately small SMS PDU builder written from the specs, used by
gammu_crosscheck.py where Gammu cannot build a PDU itself (status reports, alphanumeric
senders with non-ASCII GSM characters, 8-bit data, negative time zones). It shares no
code with smsgw's codec.

3GPP TS 23.040 (TPDU layouts) and TS 23.038 (GSM 7-bit default alphabet).
"""

# TS 23.038 6.2.1: the GSM 7-bit default alphabet, row by row (16 septet values each);
# 0x1B is the escape to the extension table.
GSM7_ROWS = [
    "@£$¥èéùìòÇ\nØø\rÅå",
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ",
    " !\"#¤%&'()*+,-./",
    "0123456789:;<=>?",
    "¡ABCDEFGHIJKLMNO",
    "PQRSTUVWXYZÄÖÑÜ§",
    "¿abcdefghijklmno",
    "pqrstuvwxyzäöñüà",
]
GSM7_TABLE = "".join(GSM7_ROWS)
assert len(GSM7_TABLE) == 128
GSM7_ESCAPE = 0x1B
# TS 23.038 6.2.1.1: the default extension table (after an escape septet).
GSM7_EXTENSION = {
    "\f": 0x0A,
    "^": 0x14,
    "{": 0x28,
    "}": 0x29,
    "\\": 0x2F,
    "[": 0x3C,
    "~": 0x3D,
    "]": 0x3E,
    "|": 0x40,
    "€": 0x65,
}
GSM7_BASIC_CHARS = {c: i for i, c in enumerate(GSM7_TABLE) if i != GSM7_ESCAPE}


def is_gsm7(text):
    return all(c in GSM7_BASIC_CHARS or c in GSM7_EXTENSION for c in text)


def gsm7_septets(text):
    """Text -> septet values (extension characters as escape + code)."""
    out = []
    for c in text:
        if c in GSM7_BASIC_CHARS:
            out.append(GSM7_BASIC_CHARS[c])
        elif c in GSM7_EXTENSION:
            out += [GSM7_ESCAPE, GSM7_EXTENSION[c]]
        else:
            raise ValueError(f"{c!r} is not in the GSM 7-bit default alphabet")
    return out


def pack_septets(septets, fill_bits=0):
    """TS 23.038 6.1.2.1.1: septets packed LSB first after `fill_bits` zero bits."""
    acc = 0
    pos = fill_bits
    for s in septets:
        acc |= s << pos
        pos += 7
    return acc.to_bytes((pos + 7) // 8, "little")


def swap_bcd(digits):
    """Semi-octet representation (TS 23.040 9.1.2.3): digits swapped, F padding."""
    if len(digits) % 2:
        digits += "F"
    return bytes(int(digits[i + 1] + digits[i], 16) for i in range(0, len(digits), 2))


def address(text):
    """TS 23.040 9.1.2.5 address field: '+digits' international (TOA 0x91), digits
    unknown/ISDN (0x81), anything else alphanumeric (0xD0, GSM 7-bit packed)."""
    if text.startswith("+") and text[1:].isdigit():
        digits = text[1:]
        return bytes([len(digits), 0x91]) + swap_bcd(digits)
    if text.isdigit():
        return bytes([len(text), 0x81]) + swap_bcd(text)
    septets = gsm7_septets(text)
    packed = pack_septets(septets)
    semi_octets = (len(septets) * 7 + 3) // 4
    return bytes([semi_octets, 0xD0]) + packed


def smsc_field(number):
    if not number:
        return b"\x00"
    body = address(number)[1:]  # TOA + BCD digits
    return bytes([len(body)]) + body


def timestamp(year, month, day, hour, minute, second, tz_quarters):
    """TS 23.040 9.2.3.11: seven semi-octet pairs; the time zone in quarter hours with
    its sign in bit 3 of the (swapped) octet."""
    digits = "%02d%02d%02d%02d%02d%02d" % (year % 100, month, day, hour, minute, second)
    out = bytearray(swap_bcd(digits))
    q = abs(tz_quarters)
    tz = swap_bcd("%02d" % q)[0]
    if tz_quarters < 0:
        tz |= 0x08
    out.append(tz)
    return bytes(out)


def iso8601(year, month, day, hour, minute, second, tz_quarters):
    sign = "-" if tz_quarters < 0 else "+"
    q = abs(tz_quarters)
    return "%04d-%02d-%02dT%02d:%02d:%02d%s%02d:%02d" % (
        year, month, day, hour, minute, second, sign, q // 4, (q % 4) * 15)


def concat_udh(ref, part, total, sixteen_bit=False):
    """TS 23.040 9.2.3.24.1 (IE 0x00) and 9.2.3.24.8 (IE 0x08), without the UDHL octet."""
    if sixteen_bit:
        return bytes([0x08, 0x04, ref >> 8, ref & 0xFF, total, part])
    return bytes([0x00, 0x03, ref, total, part])


def user_data(encoding, payload, udh=b""):
    """Returns (UDL, UD) for TS 23.040 9.2.3.16/9.2.3.24. `payload` is text for gsm7 and
    ucs2, bytes for 8bit."""
    header = bytes([len(udh)]) + udh if udh else b""
    if encoding == "gsm7":
        septets = gsm7_septets(payload)
        header_bits = len(header) * 8
        fill = (7 - header_bits % 7) % 7
        packed = pack_septets(septets, fill)
        udl = (header_bits + fill) // 7 + len(septets)
        return udl, header + packed
    if encoding == "ucs2":
        body = payload.encode("utf-16-be")
        return len(header) + len(body), header + body
    return len(header) + len(payload), header + bytes(payload)


def dcs(encoding, message_class=None):
    """TS 23.038 4: general data coding group 00xx."""
    alphabet = {"gsm7": 0, "8bit": 1, "ucs2": 2}[encoding]
    if message_class is None:
        return alphabet << 2
    return 0x10 | (alphabet << 2) | message_class


def deliver(sender, encoding, payload, scts, smsc="", udh=b"", message_class=None, pid=0):
    """An SMS-DELIVER PDU in hex with its SMSC field (TS 23.040 9.2.2.1)."""
    first = 0x04  # MTI 00, TP-MMS: no more messages
    if udh:
        first |= 0x40
    udl, ud = user_data(encoding, payload, udh)
    tpdu = (bytes([first]) + address(sender) + bytes([pid, dcs(encoding, message_class)])
            + timestamp(*scts) + bytes([udl]) + ud)
    return (smsc_field(smsc) + tpdu).hex().upper()


def status_report(mr, recipient, scts, discharge, status, smsc=""):
    """An SMS-STATUS-REPORT PDU in hex with its SMSC field (TS 23.040 9.2.2.3), no TP-PI."""
    first = 0x06  # MTI 10, TP-MMS
    tpdu = (bytes([first, mr]) + address(recipient) + timestamp(*scts)
            + timestamp(*discharge) + bytes([status]))
    return (smsc_field(smsc) + tpdu).hex().upper()


def status_class(tp_st):
    """TS 23.040 9.2.3.15: 0x00-0x1F completed, 0x20-0x3F temporary (SC still trying),
    0x40-0x5F permanent error, 0x60-0x7F temporary (SC gave up)."""
    if tp_st <= 0x1F:
        return "delivered"
    if tp_st <= 0x3F:
        return "pending"
    return "failed"


# TS 23.040 9.2.3.12.1: relative TP-VP value -> seconds.
def relative_validity_seconds(vp):
    if vp <= 143:
        return (vp + 1) * 5 * 60
    if vp <= 167:
        return 12 * 3600 + (vp - 143) * 30 * 60
    if vp <= 196:
        return (vp - 166) * 86400
    return (vp - 192) * 7 * 86400


def smallest_validity_at_least(seconds):
    """The representable relative validity an encoder that rounds up must produce."""
    for vp in range(256):
        if relative_validity_seconds(vp) >= seconds:
            return relative_validity_seconds(vp)
    return relative_validity_seconds(255)


def minimum_parts(text, encoding):
    """Fewest parts TS 23.040 allows with an 8-bit concat IE (6 header octets): GSM 7-bit
    160 septets alone or 153 per part, an escape pair never split; UCS2 70 characters
    alone or 67 UTF-16 units per part, a surrogate pair never split. Greedy is optimal."""
    if encoding == "gsm7":
        units = [2 if c in GSM7_EXTENSION else 1 for c in text]
        single, multi = 160, 153
    else:
        units = [2 if ord(c) > 0xFFFF else 1 for c in text]
        single, multi = 70, 67
    if sum(units) <= single:
        return 1
    parts, used = 1, 0
    for u in units:
        if used + u > multi:
            parts += 1
            used = 0
        used += u
    return parts


# ---------------------------------------------------------------- reading SUBMITs
GSM7_EXTENSION_BY_CODE = {code: c for c, code in GSM7_EXTENSION.items()}


def unpack_septets(octets, count, fill_bits=0):
    acc = int.from_bytes(octets, "little")
    return [(acc >> (fill_bits + 7 * i)) & 0x7F for i in range(count)]


def gsm7_text(septets):
    out, escaped = [], False
    for s in septets:
        if escaped:
            # TS 23.038 6.2.1.1: an unknown extension code shows the default character.
            out.append(GSM7_EXTENSION_BY_CODE.get(s, GSM7_TABLE[s]))
            escaped = False
        elif s == GSM7_ESCAPE:
            escaped = True
        else:
            out.append(GSM7_TABLE[s])
    return "".join(out)


def read_address(octets, i):
    digits, toa = octets[i], octets[i + 1]
    body = octets[i + 2:i + 2 + (digits + 1) // 2]
    if toa & 0x70 == 0x50:  # TON 5: alphanumeric, GSM 7-bit packed
        text = gsm7_text(unpack_septets(body, digits * 4 // 7))
    else:
        bcd = "".join("%X%X" % (b & 0x0F, b >> 4) for b in body)[:digits]
        text = ("+" if toa & 0x70 == 0x10 else "") + bcd
    return text, i + 2 + len(body)


def parse_submit(hex_pdu):
    """Reads an SMS-SUBMIT (TS 23.040 9.2.2.2) as plainly as possible; only for the
    layouts smsgw writes (no national shift tables)."""
    octets = bytes.fromhex(hex_pdu)
    i = 1 + octets[0]  # skip the SMSC field
    first = octets[i]
    out = {"mti": first & 3, "rd": bool(first & 4), "vpf": (first >> 3) & 3,
           "srr": bool(first & 0x20), "udhi": bool(first & 0x40), "mr": octets[i + 1]}
    out["to"], i = read_address(octets, i + 2)
    out["pid"], out["dcs"] = octets[i], octets[i + 1]
    i += 2
    out["vp"] = None
    if out["vpf"] == 2:
        out["vp"] = octets[i]
        i += 1
    elif out["vpf"] in (1, 3):
        i += 7
    udl = octets[i]
    ud = octets[i + 1:]
    udh = b""
    if out["udhi"]:
        udh = ud[1:1 + ud[0]]
    header_octets = len(udh) + 1 if out["udhi"] else 0
    alphabet = (out["dcs"] >> 2) & 3 if out["dcs"] & 0xC0 == 0 else 0
    if alphabet == 2:
        out["text"] = ud[header_octets:udl].decode("utf-16-be")
    else:
        header_septets = (header_octets * 8 + 6) // 7
        fill = header_septets * 7 - header_octets * 8
        septets = unpack_septets(ud[header_octets:], udl - header_septets, fill)
        out["text"] = gsm7_text(septets)
    out["udh"] = udh
    out["class"] = out["dcs"] & 3 if out["dcs"] & 0x10 else None
    return out
