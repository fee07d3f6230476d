#!/usr/bin/env python3
"""Compare logsift's .evtx JSON (one object per line, evtx_dump shape) with
`evtxexport -f xml` of the same file, record by record (keyed on
EventRecordID): the System fields and the EventData items.

Usage: evtx_vs_evtxexport.py RECORDS.ndjson EVTXEXPORT.xml [--max-diffs N]

Exit status 0 when every record evtxexport printed agrees, 1 otherwise.
evtxexport stops a file at its first failing record, so records only the
NDJSON has are counted, not compared."""
import json
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
SYSTEM = ["EventID", "Qualifiers", "Level", "TimeCreated", "EventRecordID", "Channel", "Computer",
          "Provider", "ProviderGuid"]


def text(v):
    """A JSON scalar as evtxexport writes it."""
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


def xmlnorm(s):
    """What an XML parser makes of a value: line ends normalised to LF."""
    return s.replace("\r\n", "\n").replace("\r", "\n")


def json_fields(obj):
    ev = obj.get("Event", {})
    sys_ = ev.get("System", {})

    def val(x):
        return xmlnorm(text(x.get("#text")) if isinstance(x, dict) else text(x))

    def attr(x, name):
        return xmlnorm(text(x.get("#attributes", {}).get(name))) if isinstance(x, dict) else ""

    out = {
        "EventID": val(sys_.get("EventID")),
        "Qualifiers": attr(sys_.get("EventID"), "Qualifiers"),
        "Level": val(sys_.get("Level")),
        "TimeCreated": attr(sys_.get("TimeCreated"), "SystemTime"),
        "EventRecordID": val(sys_.get("EventRecordID")),
        "Channel": val(sys_.get("Channel")),
        "Computer": val(sys_.get("Computer")),
        "Provider": attr(sys_.get("Provider"), "Name"),
        "ProviderGuid": attr(sys_.get("Provider"), "Guid"),
    }
    items = []
    ed = ev.get("EventData")
    if isinstance(ed, dict):
        for k, v in ed.items():
            if k == "#attributes":
                continue
            if k == "Data":
                for x in (v if isinstance(v, list) else [v]):
                    items.append(("", val(x)))
            elif k == "Binary":
                items.append(("#binary", val(v)))
            else:
                items.append((re.sub(r"_\d+$", "", k) if k not in ("#text",) else k, val(v)))
    return out, items


def xml_fields(ev):
    sys_ = ev.find(NS + "System")

    def t(name):
        e = sys_.find(NS + name) if sys_ is not None else None
        return (e.text or "") if e is not None else ""

    def a(name, at):
        e = sys_.find(NS + name) if sys_ is not None else None
        return e.get(at, "") if e is not None else ""

    out = {
        "EventID": t("EventID"), "Qualifiers": a("EventID", "Qualifiers"), "Level": t("Level"),
        "TimeCreated": a("TimeCreated", "SystemTime"), "EventRecordID": t("EventRecordID"),
        "Channel": t("Channel"), "Computer": t("Computer"), "Provider": a("Provider", "Name"),
        "ProviderGuid": a("Provider", "Guid"),
    }
    items = []
    ed = ev.find(NS + "EventData")
    if ed is not None:
        for d in ed:
            tag = d.tag.replace(NS, "")
            if tag == "Data":
                items.append((d.get("Name", ""), d.text or ""))
            elif tag == "Binary":
                items.append(("#binary", d.text or ""))
    return out, items


def xml_records(path):
    data = open(path, encoding="utf-8", errors="replace").read()
    for m in re.finditer(r"<Event [^>]*>.*?</Event>", data, re.S):
        try:
            yield ET.fromstring(m.group(0))
        except ET.ParseError:
            continue


def main():
    args = sys.argv[1:]
    max_diffs = 20
    if "--max-diffs" in args:
        i = args.index("--max-diffs")
        max_diffs = int(args[i + 1])
        del args[i:i + 2]
    ours = {}
    for line in open(args[0], encoding="utf-8"):
        line = line.strip()
        if not line:
            continue
        obj = json.loads(line)
        f, items = json_fields(obj)
        ours[f["EventRecordID"]] = (f, items)
    diffs = compared = 0
    for ev in xml_records(args[1]):
        f, items = xml_fields(ev)
        mine = ours.get(f["EventRecordID"])
        if mine is None:
            print("record %s: not in the NDJSON" % f["EventRecordID"])
            diffs += 1
            continue
        compared += 1
        for k in SYSTEM:
            if f[k] != mine[0][k]:
                diffs += 1
                if diffs <= max_diffs:
                    print("record %s: %s: evtxexport %r, ours %r" % (f["EventRecordID"], k, f[k], mine[0][k]))
        # Named items: compare as a multiset of (name, value); positional in
        # order. libevtx writes a value of white space only as an empty
        # element (<Data Name="ExtraInfo"/> where python-evtx and Event
        # Viewer keep the "\n"): such values compare as empty.
        def ws(v):
            return "" if v.strip() == "" else v
        theirs_pos = [ws(v) for n, v in items if n == ""]
        mine_pos = [ws(v) for n, v in mine[1] if n == ""]
        theirs_named = sorted((n, ws(v)) for n, v in items if n)
        mine_named = sorted((n, ws(v)) for n, v in mine[1] if n)
        if theirs_pos != mine_pos or theirs_named != mine_named:
            diffs += 1
            if diffs <= max_diffs:
                print("record %s: EventData:\n  evtxexport %r\n  ours       %r" % (f["EventRecordID"], items, mine[1]))
    print("compared %d records (%d in the NDJSON), %d differences" % (compared, len(ours), diffs))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
