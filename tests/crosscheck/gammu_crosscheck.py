#!/usr/bin/python3
"""Cross-checks `smsgw pdu encode|decode` against Gammu (python3-gammu), an independent
and widely used SMS codec, on hundreds of seeded random messages.

Directions:
  encode   smsgw pdu encode -> gammu.DecodePDU (text, number, coding, class, UDH concat,
           validity) and gammu.LinkSMS/DecodeSMS (reassembly). TP-SRR, TP-VPF and TP-MR
           are read from the first octets here, because Gammu's decoded dict does not
           expose them. Part counts: never more than the spec minimum (spec_pdu.py), never
           more than Gammu's own count (Gammu needing MORE parts is reported, not failed).
  national smsgw pdu encode --shift-tables: Gammu has no national language tables, so
           only a self-consistency check plus the UDH read by spec_pdu.py.
  deliver  gammu.EncodeSMS + gammu.EncodePDU(..., "Deliver") -> smsgw pdu decode.
  submit   gammu.EncodePDU(..., "Submit") -> smsgw pdu decode.
  status   python3-gammu cannot build SMS-STATUS-REPORT PDUs (EncodePDU returns nothing
           for that layout), so spec_pdu.py builds them from TS 23.040; gammu.DecodePDU
           first confirms each one, then smsgw pdu decode must agree.
  spec     spec_pdu.py builds SMS-DELIVERs Gammu cannot (alphanumeric senders with non-ASCII
           GSM characters, 8-bit data, 16-bit concat references, negative time zones,
           message classes); Gammu confirms where it decodes them correctly, smsgw must agree.

Run with the system python (python3-gammu is a Debian package):
  /usr/bin/python3 tests/crosscheck/gammu_crosscheck.py build/src/smsgw [--seed N] [--count N]
Exit status 0 when everything agrees; 1 with every disagreement printed together with the
exact input (command line or PDU) that reproduces it.
"""

import argparse
import binascii
import datetime
import json
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spec_pdu  # noqa: E402

try:
    import gammu  # noqa: E402
except ImportError:
    sys.exit("gammu_crosscheck: python3-gammu is missing: run it with /usr/bin/python3 "
             "after `apt-get install python3-gammu`")

# Character pools. GSM_SAFE leaves out nothing: every default-alphabet character.
GSM_BASIC = "".join(c for c in spec_pdu.GSM7_TABLE if c != "\x1b")
GSM_EXTENSION = "".join(spec_pdu.GSM7_EXTENSION)
UCS2_POOLS = [
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя",  # Cyrillic
    "中文字符测试短信网关你好世界汉字日本語の文章한국어",                            # CJK, Hangul
    "😀😃😄😁😆🙂🙃😉😊😇🥰😍🤩😘🚀🎉👍🏽🇩🇪",                                  # outside the BMP
    "ğĞışŞİçÇöÖüÜâêîôû",                                                  # Turkish, Latin
    "مرحبا بالعالم",                                                       # Arabic
    "αβγδεζηθικλμνξοπρστυφχψω",                                           # Greek lower case
]


class Checker:
    def __init__(self, smsgw):
        self.smsgw = smsgw
        self.failures = []
        self.checked = {}
        self.notes = []

    def fail(self, direction, reproduce, what):
        self.failures.append(f"[{direction}] {what}\n    reproduce: {reproduce}")

    def count(self, direction):
        self.checked[direction] = self.checked.get(direction, 0) + 1

    def run(self, args):
        result = subprocess.run([self.smsgw] + args, capture_output=True, timeout=30)
        return (result.returncode, result.stdout.decode("utf-8", "replace"),
                result.stderr.decode("utf-8", "replace"))

    def decode(self, hex_pdu):
        code, out, err = self.run(["pdu", "decode", hex_pdu])
        if code != 0:
            return None, f"exit {code}: {err.strip()}"
        try:
            return json.loads(out), None
        except ValueError as e:
            return None, f"not JSON ({e}): {out!r}"


def shell_quote(args):
    """One line a shell runs as is: $'...' quoting, control characters escaped."""
    def quote(arg):
        out = []
        for c in arg:
            if c in "\\'":
                out.append("\\" + c)
            elif ord(c) < 0x20 or ord(c) == 0x7F:
                out.append("\\x%02x" % ord(c))
            else:
                out.append(c)
        return "$'" + "".join(out) + "'"
    return " ".join(quote(a) for a in args)


# ---------------------------------------------------------------- random inputs
def random_gsm_text(rng, length_septets):
    """GSM text of about `length_septets`, with extension characters sprinkled in and
    often placed right at the 152/153 and 160/161 septet boundaries."""
    out, used = [], 0
    boundaries = {152, 153, 159, 160, 305, 306, 458, 459}
    while used < length_septets:
        if (used in boundaries or used + 1 in boundaries) and rng.random() < 0.7:
            c = rng.choice(GSM_EXTENSION)
        elif rng.random() < 0.08:
            c = rng.choice(GSM_EXTENSION)
        else:
            c = rng.choice(GSM_BASIC)
        out.append(c)
        used += 2 if c in spec_pdu.GSM7_EXTENSION else 1
    return "".join(out)


def random_ucs2_text(rng, length_units):
    """Text needing UCS2 of about `length_units` UTF-16 units; emoji (surrogate pairs)
    often sit at the 66/67 and 69/70 unit boundaries."""
    pool = rng.choice(UCS2_POOLS)
    out, used = [rng.choice(UCS2_POOLS[0])], 1  # one Cyrillic letter forces UCS2
    boundaries = {66, 67, 69, 70, 133, 134, 200, 201}
    while used < length_units:
        if used in boundaries and rng.random() < 0.7:
            c = rng.choice(UCS2_POOLS[2])
        elif rng.random() < 0.1:
            c = rng.choice(GSM_BASIC)
        else:
            c = rng.choice(pool)
        out.append(c)
        used += 2 if ord(c) > 0xFFFF else 1
    return "".join(out)


def random_length(rng, single, multi):
    """1..10 parts worth, biased to the part boundaries."""
    parts = rng.randint(1, 10)
    if parts == 1:
        return rng.choice([1, 2, rng.randint(1, single), single - 1, single])
    return rng.choice([multi * (parts - 1) + 1, multi * parts - 1, multi * parts,
                       rng.randint(multi * (parts - 1) + 1, multi * parts)])


def random_number(rng):
    kind = rng.random()
    if kind < 0.6:
        return "+" + str(rng.randint(1, 9)) + "".join(
            rng.choice("0123456789") for _ in range(rng.randint(7, 14)))
    if kind < 0.9:
        return "0" + "".join(rng.choice("0123456789") for _ in range(rng.randint(5, 12)))
    return "".join(rng.choice("0123456789") for _ in range(rng.randint(3, 6)))  # short code


def random_alphanumeric(rng, ascii_only):
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 "
    if not ascii_only:
        letters += "ÄÖÜäöüßÉé@£$_"
    name = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + "".join(
        rng.choice(letters) for _ in range(rng.randint(2, 10)))
    return name.rstrip() or "Bank"


def random_time(rng):
    year = rng.randint(2000, 2089)  # Gammu reads two-digit years >= 90 as 19xx
    return (year, rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 23),
            rng.randint(0, 59), rng.randint(0, 59))


# ---------------------------------------------------------------- encode direction
GAMMU_VALIDITY_UNITS = {"M": 60, "H": 3600, "D": 86400, "W": 7 * 86400}


def gammu_validity_seconds(text):
    if text == "Max":
        return spec_pdu.relative_validity_seconds(255)
    return int(text[:-1]) * GAMMU_VALIDITY_UNITS[text[-1]]


def gammu_text(decoded):
    """Gammu's text of one decoded part. For GSM 7-bit, Gammu sizes Text by septets
    (its Length) and leaves one unset entry (U+0000 or stale memory) per escape septet
    at the end, so keep only the characters that fill Length septets."""
    text = decoded["Text"]
    if decoded["Coding"] == "Unicode_No_Compression":
        # python-gammu doubles every "~" of a UCS2 text and then cuts the text to Length
        # characters, losing the end: such a part cannot be compared (None).
        return None if "~" in text else text
    if decoded["Coding"] != "Default_No_Compression":
        return text
    septets = 0
    for end, c in enumerate(text):
        septets += 2 if c in spec_pdu.GSM7_EXTENSION else 1
        if septets >= decoded["Length"]:
            return text[:end + 1]
    return text


def check_encode(checker, rng, count):
    gammu_more = 0
    gammu_unreadable = 0
    for _ in range(count):
        forced = None
        if rng.random() < 0.55:
            text = random_gsm_text(rng, random_length(rng, 160, 153))
            expected_encoding = "gsm7"
            if rng.random() < 0.1:
                forced = "ucs2"
                expected_encoding = "ucs2"
        else:
            text = random_ucs2_text(rng, random_length(rng, 70, 67))
            expected_encoding = "ucs2"
            if rng.random() < 0.05:
                forced = "ucs2"
        to = random_number(rng) if rng.random() < 0.93 else random_alphanumeric(rng, True)
        args = ["pdu", "encode", "--to=" + to, "--text=" + text]
        status_report = rng.random() < 0.4
        flash = rng.random() < 0.15
        validity = rng.choice([None, None, rng.randint(1, 3600), rng.randint(3600, 86400 * 3),
                               rng.randint(86400, 86400 * 7 * 63)])
        ref = rng.randint(0, 255)
        if status_report:
            args.append("--status-report")
        if flash:
            args.append("--flash")
        if validity is not None:
            args.append(f"--validity={validity}")
        if forced:
            args.append("--encoding=" + forced)
        args.append(f"--ref={ref}")
        minimum = spec_pdu.minimum_parts(text, expected_encoding)
        reproduce = "smsgw " + shell_quote(args)
        if minimum > 10:
            continue  # the default --max-parts would refuse it; covered below
        checker.count("encode")

        code, out, err = checker.run(args)
        if code != 0:
            checker.fail("encode", reproduce, f"exit {code}: {err.strip()}")
            continue
        result = json.loads(out)
        if result["encoding"] != expected_encoding:
            checker.fail("encode", reproduce,
                         f"encoding {result['encoding']}, expected {expected_encoding}")
            continue
        parts = result["parts"]
        if len(parts) > minimum:
            checker.fail("encode", reproduce,
                         f"{len(parts)} parts, the spec minimum is {minimum}")
        gammu_parts = gammu.EncodeSMS({
            "Class": -1, "Unicode": expected_encoding == "ucs2",
            "Entries": [{"ID": "ConcatenatedTextLong", "Buffer": text}]})
        if len(gammu_parts) < len(parts):
            checker.fail("encode", reproduce,
                         f"{len(parts)} parts, Gammu needs only {len(gammu_parts)}")
        elif len(gammu_parts) > len(parts):
            gammu_more += 1

        decoded_parts = []
        joined = ""
        spec_joined = ""
        for index, part in enumerate(parts):
            pdu = part["pdu"]
            where = f"part {index + 1}/{len(parts)} {pdu}"
            octets = binascii.unhexlify(pdu)
            if octets[0] != 0 or part["length"] != len(octets) - 1:
                checker.fail("encode", reproduce,
                             f"{where}: SMSC field not 00 or length {part['length']} is not "
                             f"the {len(octets) - 1} TPDU octets")
            try:
                g = gammu.DecodePDU(octets, True)
            except gammu.GSMError as e:
                checker.fail("encode", reproduce, f"{where}: Gammu cannot decode it: {e}")
                continue
            decoded_parts.append(g)
            first_octet = octets[1]
            problems = []
            spec = spec_pdu.parse_submit(pdu)
            spec_joined += spec["text"]
            want_udh = (spec_pdu.concat_udh(ref, index + 1, len(parts)) if len(parts) > 1
                        else b"")
            if spec["udh"] != want_udh:
                problems.append(f"UDH {spec['udh'].hex().upper()}, expected "
                                f"{want_udh.hex().upper()} (IE 0x00 only)")
            if g["Type"] != "Submit":
                problems.append(f"Gammu type {g['Type']}")
            if g["Number"] != to:
                problems.append(f"number {g['Number']!r} != {to!r}")
            coding = "Unicode_No_Compression" if expected_encoding == "ucs2" \
                else "Default_No_Compression"
            if g["Coding"] != coding:
                problems.append(f"coding {g['Coding']} != {coding}")
            if g["Class"] != (0 if flash else -1):
                problems.append(f"class {g['Class']}, flash={flash}")
            if bool(first_octet & 0x20) != status_report:
                problems.append(f"TP-SRR bit {bool(first_octet & 0x20)} != {status_report}")
            if octets[2] != 0:
                problems.append(f"TP-MR {octets[2]} (default should be 0)")
            vpf = (first_octet >> 3) & 3
            if validity is None:
                if vpf != 0:
                    problems.append(f"TP-VPF {vpf} without --validity")
            else:
                if vpf != 2:
                    problems.append(f"TP-VPF {vpf}, expected 2 (relative)")
                else:
                    got = gammu_validity_seconds(g["SMSC"]["Validity"])
                    want = spec_pdu.smallest_validity_at_least(validity)
                    if got != want:
                        problems.append(f"validity {got}s, expected {want}s "
                                        f"(smallest step >= {validity}s)")
            udh = g["UDH"]
            if len(parts) == 1:
                if udh["Type"] != "NoUDH":
                    problems.append(f"single part carries a UDH {udh}")
            elif (udh["Type"] != "ConcatenatedMessages" or udh["ID8bit"] != ref
                  or udh["PartNumber"] != index + 1 or udh["AllParts"] != len(parts)):
                problems.append(f"UDH {udh['Type']} ref {udh['ID8bit']} part "
                                f"{udh['PartNumber']}/{udh['AllParts']}, expected ref {ref} "
                                f"part {index + 1}/{len(parts)}")
            if problems:
                checker.fail("encode", reproduce, f"{where}: " + "; ".join(problems))
            part_text = gammu_text(g)
            if part_text is None:
                gammu_unreadable += 1
                joined = None
            elif joined is not None:
                joined += part_text
        if spec_joined != text:
            checker.fail("encode", reproduce,
                         f"spec_pdu reads the parts as {spec_joined!r}, the input was {text!r}")
        if joined is not None and joined != text and len(decoded_parts) == len(parts):
            checker.fail("encode", reproduce,
                         f"Gammu reads the parts as {joined!r}, the input was {text!r}")
        # Gammu's reassembly keeps the stale entries gammu_text() trims, so only texts
        # without escape septets go through it.
        plain = not any(c in spec_pdu.GSM7_EXTENSION for c in text) and "~" not in text
        if len(parts) > 1 and len(decoded_parts) == len(parts) and plain:
            linked = gammu.LinkSMS([[g] for g in reversed(decoded_parts)])
            if len(linked) != 1:
                checker.fail("encode", reproduce,
                             f"Gammu links the parts into {len(linked)} messages, not 1")
            else:
                whole = gammu.DecodeSMS(linked[0])
                buffer = "".join(e["Buffer"] or "" for e in whole["Entries"]) if whole else ""
                if buffer != text:
                    checker.fail("encode", reproduce,
                                 f"Gammu reassembles {buffer!r}, the input was {text!r}")
    if gammu_unreadable:
        checker.notes.append(f"encode: {gammu_unreadable} UCS2 parts with '~' checked by "
                             "spec_pdu only (python-gammu mangles '~' in UCS2 text)")
    if gammu_more:
        checker.notes.append(f"encode: Gammu needs more parts than smsgw for {gammu_more} "
                             "messages (fine: smsgw packs tighter)")


def check_encode_refusals(checker, rng, count):
    """Texts over --max-parts must be refused with exit 1, never truncated."""
    for _ in range(count):
        checker.count("encode-limit")
        text = random_gsm_text(rng, rng.randint(161, 600))
        minimum = spec_pdu.minimum_parts(text, "gsm7")
        limit = minimum - 1
        args = ["pdu", "encode", "--to=+4917012345678", "--text=" + text,
                f"--max-parts={limit}"]
        code, out, err = checker.run(args)
        if code != 1 or out or err.count("\n") != 1:
            checker.fail("encode-limit", "smsgw " + shell_quote(args),
                         f"needs {minimum} parts, limit {limit}: exit {code}, "
                         f"stdout {out!r}, stderr {err!r} (want exit 1, one line)")


NATIONAL_LETTERS = {
    "turkish": ("tr", 1, "ğĞışŞİçÇöÖüÜ€"),
    "spanish": ("es", 2, "ñÑáéíóúÁÍÓÚç¡¿€"),
    "portuguese": ("pt", 3, "ãõÃÕçÇáéíóúâêôÀÁÉÍÓÚ€"),
}


def udh_elements(udh):
    """TS 23.040 9.2.3.24: the header's information elements as {IEI: data}."""
    out, i = {}, 0
    while i + 1 < len(udh):
        out[udh[i]] = udh[i + 2:i + 2 + udh[i + 1]]
        i += 2 + udh[i + 1]
    return out


def check_national(checker, rng, count):
    """--shift-tables (TS 23.038 6.2.1.2.4, Annex A). Gammu has no national tables, so
    this is smsgw against itself plus the header read by spec_pdu: the parts join back
    to the text, IE 0x24/0x25 name the table the JSON reports, and the message never
    needs more parts than UCS2 would."""
    for _ in range(count):
        checker.count("national")
        language = rng.choice(sorted(NATIONAL_LETTERS))
        short, identifier, letters = NATIONAL_LETTERS[language]
        length = random_length(rng, 150, 140)
        text = "".join(rng.choice(letters) if rng.random() < 0.3 else
                       rng.choice("abcdefghijklmnopqrstuvwxyz ABC.,!?0123456789")
                       for _ in range(length))
        while spec_pdu.minimum_parts(text, "ucs2") > 10:
            text = text[:-1]
        args = ["pdu", "encode", "--to=+905321234567", "--text=" + text,
                "--shift-tables=" + rng.choice([short, language])]
        reproduce = "smsgw " + shell_quote(args)
        code, out, err = checker.run(args)
        if code != 0:
            checker.fail("national", reproduce, f"exit {code}: {err.strip()}")
            continue
        result = json.loads(out)
        parts = result["parts"]
        if len(parts) > spec_pdu.minimum_parts(text, "ucs2"):
            checker.fail("national", reproduce,
                         f"{len(parts)} parts, UCS2 would need only "
                         f"{spec_pdu.minimum_parts(text, 'ucs2')}")
        joined = ""
        for index, part in enumerate(parts):
            got, error = checker.decode(part["pdu"])
            if error:
                checker.fail("national", reproduce, f"part {index + 1}: {error}")
                break
            joined += got.get("text", "")
            if result["encoding"] != "gsm7":
                continue
            elements = udh_elements(spec_pdu.parse_submit(part["pdu"])["udh"])
            for iei, field in ((0x24, "single_shift"), (0x25, "locking_shift")):
                want = [identifier] if result[field] == language else None
                have = list(elements[iei]) if iei in elements else None
                if result[field] not in (None, language) or have != want:
                    checker.fail("national", reproduce,
                                 f"part {index + 1}: {field} {result[field]!r} but IE "
                                 f"0x{iei:02X} = {have}")
        if joined != text:
            checker.fail("national", reproduce, f"parts decode to {joined!r}")


# ---------------------------------------------------------------- decode directions
def gammu_template():
    # A decoded dict is the easiest complete template for gammu.EncodePDU.
    return gammu.DecodePDU(binascii.unhexlify("0011000D91947110325476F80000A705C8329BFD06"),
                           True)


def compare(checker, direction, pdu, got, expected):
    # Gammu writes no SMSC as "0181" (a TOA and no digits); smsgw reads that as "" and
    # a zero-length field as null. Both mean "no SMSC" here.
    if expected.get("smsc", "<absent>") is None and got.get("smsc") == "" \
            and pdu.startswith("0181"):
        expected = dict(expected, smsc="")
    problems = [f"{k}: smsgw {got.get(k)!r}, expected {v!r}"
                for k, v in expected.items() if got.get(k, "<absent>") != v]
    if problems:
        checker.fail(direction, f"smsgw pdu decode {pdu}", "; ".join(problems))


def check_gammu_deliver(checker, rng, count):
    for _ in range(count):
        checker.count("deliver")
        unicode = rng.random() < 0.45
        text = (random_ucs2_text(rng, random_length(rng, 70, 67)) if unicode
                else random_gsm_text(rng, random_length(rng, 160, 153)))
        sixteen = rng.random() < 0.3
        sender = random_number(rng) if rng.random() < 0.7 else random_alphanumeric(rng, True)
        smsc = rng.choice(["", "+4917000000" + str(rng.randint(10, 99))])
        message_class = rng.choice([-1, -1, 0, 1, 2, 3])
        when = random_time(rng)
        parts = gammu.EncodeSMS({
            "Class": message_class, "Unicode": unicode,
            "Entries": [{"ID": "ConcatenatedTextLong16bit" if sixteen
                         else "ConcatenatedTextLong", "Buffer": text}]})
        for index, part in enumerate(parts):
            message = gammu_template()
            message.update(part)
            message.update({
                "Type": "Deliver", "Number": sender, "DateTime": datetime.datetime(*when),
                "SMSC": {"Location": 0, "Name": "", "Format": "Text", "Validity": "NA",
                         "Number": smsc, "DefaultNumber": ""}})
            pdu = gammu.EncodePDU(message, "Deliver").hex().upper()
            got, error = checker.decode(pdu)
            if error:
                checker.fail("deliver", f"smsgw pdu decode {pdu}", error)
                continue
            gammu_view = gammu.DecodePDU(binascii.unhexlify(pdu), True)
            expected = {
                # Gammu writes "00..." numbers as international: its own reading is the truth.
                "type": "deliver", "from": gammu_view["Number"], "text": part["Text"],
                "encoding": "ucs2" if unicode else "gsm7",
                "class": None if message_class < 0 else message_class,
                "smsc": smsc or None,
            }
            if len(parts) > 1:
                udh = part["UDH"]
                expected["concat"] = {"ref": udh["ID16bit"] if sixteen else udh["ID8bit"],
                                      "part": index + 1, "total": len(parts)}
                expected["udh"] = udh["Text"][1:].hex().upper()
            else:
                expected["concat"] = None
                expected["udh"] = None
            compare(checker, "deliver", pdu, got, expected)
            scts = got.get("scts") or ""
            want = "%04d-%02d-%02dT%02d:%02d:%02d" % when
            if not scts.startswith(want):
                checker.fail("deliver", f"smsgw pdu decode {pdu}",
                             f"scts {scts!r}, expected {want}+<offset>")


def check_gammu_submit(checker, rng, count):
    validities = ["5M", "60M", "720M", "1440M", "2D", "7D", "5W", "Max", "NA"]
    for _ in range(count):
        checker.count("submit")
        unicode = rng.random() < 0.4
        text = (random_ucs2_text(rng, rng.randint(1, 70)) if unicode
                else random_gsm_text(rng, rng.randint(1, 160)))
        # One part: the generators may overshoot by one unit (an emoji or escape pair).
        while spec_pdu.minimum_parts(text, "ucs2" if unicode else "gsm7") > 1:
            text = text[:-1]
        to = random_number(rng)
        validity = rng.choice(validities)
        mr = rng.randint(0, 255)
        message_class = rng.choice([-1, -1, 0, 1, 2, 3])
        message = gammu_template()
        message.update({
            "Type": "Submit", "Number": to, "Text": text, "MessageReference": mr,
            "Class": message_class,
            "Coding": "Unicode_No_Compression" if unicode else "Default_No_Compression",
            "UDH": {"Type": "NoUDH", "Text": b"", "ID8bit": 0, "ID16bit": 0,
                    "PartNumber": -1, "AllParts": 0},
            "SMSC": {"Location": 0, "Name": "", "Format": "Text", "Validity": validity,
                     "Number": "", "DefaultNumber": ""}})
        pdu = gammu.EncodePDU(message, "Submit").hex().upper()
        got, error = checker.decode(pdu)
        if error:
            checker.fail("submit", f"smsgw pdu decode {pdu}", error)
            continue
        # Gammu writes "NA" as a relative TP-VP of 0 (5 minutes), so read it back from Gammu.
        gammu_view = gammu.DecodePDU(binascii.unhexlify(pdu), True)
        expected = {
            "type": "submit", "to": gammu_view["Number"], "text": text, "mr": mr,
            "encoding": "ucs2" if unicode else "gsm7",
            "class": None if message_class < 0 else message_class,
            "validity": gammu_validity_seconds(gammu_view["SMSC"]["Validity"]),
            "status_report": False, "concat": None, "udh": None, "smsc": None,
        }
        compare(checker, "submit", pdu, got, expected)


def random_status(rng):
    # TS 23.040 9.2.3.15: defined values, reserved ones inside each range, SC-specific ones.
    return rng.choice([0x00, 0x01, 0x02, 0x03, 0x10, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x24,
                       0x25, 0x26, 0x2F, 0x30, 0x3F, 0x40, 0x41, 0x42, 0x43, 0x44, 0x45,
                       0x46, 0x47, 0x48, 0x49, 0x4A, 0x50, 0x5F, 0x60, 0x61, 0x62, 0x63,
                       0x64, 0x65, 0x66, 0x70, 0x7F, rng.randint(0, 0x7F)])


def check_status_reports(checker, rng, count):
    for _ in range(count):
        checker.count("status")
        mr = rng.randint(0, 255)
        recipient = random_number(rng)
        tz_sct = rng.randint(-48, 56)
        tz_dt = rng.choice([tz_sct, rng.randint(-48, 56)])
        scts = random_time(rng) + (tz_sct,)
        discharge = random_time(rng) + (tz_dt,)
        status = random_status(rng)
        smsc = rng.choice(["", "+919840000232"])
        pdu = spec_pdu.status_report(mr, recipient, scts, discharge, status, smsc)
        # Gammu confirms the independently built PDU before smsgw is asked.
        g = gammu.DecodePDU(binascii.unhexlify(pdu), True)
        if (g["Type"] != "Status_Report" or g["MessageReference"] != mr
                or g["Number"] != recipient or g["DeliveryStatus"] != status
                or g["DateTime"] != datetime.datetime(*scts[:6])
                or g["SMSCDateTime"] != datetime.datetime(*discharge[:6])):
            checker.fail("status", pdu, f"spec_pdu and Gammu disagree on this PDU: {g}")
            continue
        got, error = checker.decode(pdu)
        if error:
            checker.fail("status", f"smsgw pdu decode {pdu}", error)
            continue
        compare(checker, "status", pdu, got, {
            "type": "status-report", "mr": mr, "recipient": recipient,
            "scts": spec_pdu.iso8601(*scts), "discharge": spec_pdu.iso8601(*discharge),
            "status": status, "status_class": spec_pdu.status_class(status),
            "smsc": smsc or None, "udh": None, "concat": None,
        })


def check_spec_deliver(checker, rng, count):
    for _ in range(count):
        checker.count("spec")
        encoding = rng.choice(["gsm7", "gsm7", "ucs2", "8bit"])
        multipart = rng.random() < 0.5
        sixteen = rng.random() < 0.5
        ref = rng.randint(0, 0xFFFF if sixteen else 0xFF)
        total = rng.randint(2, 10)
        part = rng.randint(1, total)
        udh = spec_pdu.concat_udh(ref, part, total, sixteen) if multipart else b""
        # TS 23.040 9.2.3.16: 140 octets of TP-UD, the header (UDHL + IEs) included.
        header_octets = len(udh) + 1 if udh else 0
        if encoding == "gsm7":
            room = (140 - header_octets) * 8 // 7 - (header_octets * 8 + 6) // 7
            payload = random_gsm_text(rng, rng.randint(1, room - 1))
            while len(spec_pdu.gsm7_septets(payload)) > room:
                payload = payload[:-1]
        elif encoding == "ucs2":
            payload = random_ucs2_text(rng, rng.randint(1, (140 - header_octets) // 2))
            while len(payload.encode("utf-16-be")) > 140 - header_octets:
                payload = payload[:-1]
        else:
            payload = bytes(rng.randint(0, 255)
                            for _ in range(rng.randint(1, 140 - header_octets)))
        sender = (random_alphanumeric(rng, False) if rng.random() < 0.5
                  else random_number(rng))
        message_class = rng.choice([None, 0, 1, 2, 3])
        tz = rng.randint(-48, 56)
        scts = random_time(rng) + (tz,)
        pdu = spec_pdu.deliver(sender, encoding, payload, scts, udh=udh,
                               message_class=message_class)
        got, error = checker.decode(pdu)
        if error:
            checker.fail("spec", f"smsgw pdu decode {pdu}", error)
            continue
        expected = {
            "type": "deliver", "from": sender, "encoding": encoding,
            "scts": spec_pdu.iso8601(*scts), "class": message_class, "smsc": None,
            "udh": udh.hex().upper() if udh else None,
            "concat": {"ref": ref, "part": part, "total": total} if multipart else None,
        }
        if encoding == "8bit":
            expected["data"] = payload.hex().upper()
        else:
            expected["text"] = payload
        compare(checker, "spec", pdu, got, expected)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("smsgw", help="path to the smsgw binary")
    parser.add_argument("--seed", type=int, default=20240611)
    parser.add_argument("--count", type=int, default=250,
                        help="messages per direction (default 250)")
    args = parser.parse_args()

    checker = Checker(args.smsgw)
    rng = random.Random(args.seed)
    check_encode(checker, rng, args.count)
    check_encode_refusals(checker, rng, max(10, args.count // 10))
    check_national(checker, rng, max(20, args.count // 5))
    check_gammu_deliver(checker, rng, args.count)
    check_gammu_submit(checker, rng, args.count)
    check_status_reports(checker, rng, args.count)
    check_spec_deliver(checker, rng, args.count)

    for failure in checker.failures:
        print("FAIL " + failure)
    for note in checker.notes:
        print("note: " + note)
    checked = ", ".join(f"{k} {v}" for k, v in checker.checked.items())
    print(f"gammu_crosscheck (seed {args.seed}): {checked}; "
          f"{len(checker.failures)} disagreement(s)")
    return 1 if checker.failures else 0


if __name__ == "__main__":
    sys.exit(main())
