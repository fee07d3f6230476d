#!/usr/bin/env python3
"""check_twins.py - gen_evtx's export twins parse with stock parsers and hold the same records.

Usage: check_twins.py GEN_EVTX

Writes one small fleet in every twin format (bench/gen_twins.c) into a
temporary directory, then reads each back with Python's own XML, JSON and
CSV parsers (the XML also with xmllint when it is installed): every record
of every twin must parse, and each twin must give the same (record id,
event id, computer) sequence, as many records as gen_evtx's summary says,
every 6013 it counted and the planted svchost.exe_TSGateway crashes. Exit 0
when all holds, 1 with the reasons otherwise.
"""
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

NS = "{http://schemas.microsoft.com/win/2004/08/events/event}"
TWINS = ["text", "xml", "winlogbeat", "nxlog", "psjson", "splunk", "snare", "pscsv"]


def read_text(path):
    out = []
    for block in re.split(r"(?m)^Event\[", open(path, encoding="ascii").read())[1:]:
        rec = int(block.split("]", 1)[0])
        eid = int(re.search(r"(?m)^  Event ID: (\d+)$", block).group(1))
        host = re.search(r"(?m)^  Computer: (.*)$", block).group(1)
        out.append((rec, eid, host, block))
    return out


def read_xml(path):
    out = []
    for line in open(path, encoding="ascii"):
        ev = ET.fromstring(line)
        sys_ = ev.find(NS + "System")
        data = [d.text or "" for d in ev.iter(NS + "Data")]
        out.append((int(sys_.find(NS + "EventRecordID").text), int(sys_.find(NS + "EventID").text),
                    sys_.find(NS + "Computer").text, " ".join(data)))
    return out


def read_winlogbeat(path):
    out = []
    for line in open(path, encoding="ascii"):
        w = json.loads(line)["winlog"]
        assert isinstance(w["event_id"], str), "Winlogbeat 8 writes event_id as a string"
        out.append((w["record_id"], int(w["event_id"]), w["computer_name"], json.dumps(w.get("event_data", {}))))
    return out


def read_nxlog(path):
    out = []
    for line in open(path, encoding="ascii"):
        d = json.loads(line)
        out.append((d["RecordNumber"], d["EventID"], d["Hostname"], d["Message"]))
    return out


def read_psjson(path):
    return [(d["RecordId"], d["Id"], d["MachineName"], d["Message"]) for d in json.load(open(path, encoding="ascii"))]


def read_pscsv(path):
    text = open(path, encoding="ascii", newline="").read()
    first, rest = text.split("\r\n", 1)
    assert first.startswith("#TYPE "), first
    return [(int(r["RecordId"]), int(r["Id"]), r["MachineName"], r["Message"])
            for r in csv.DictReader(io.StringIO(rest, newline=""))]


def read_splunk(path):
    out = []
    for block in open(path, encoding="ascii").read().split("\n\n"):
        kv = dict(re.findall(r"(?m)^(\w+)=(.*)$", block.split("\nMessage=", 1)[0]))
        out.append((int(kv["RecordNumber"]), int(kv["EventCode"]), kv["ComputerName"], block))
    return out


def read_snare(path):
    out = []
    for line in open(path, encoding="ascii"):
        f = line.rstrip("\n").split("\t")
        assert len(f) == 14 and f[0].endswith(" MSWinEventLog"), f
        out.append((int(f[13]), int(f[5]), f[10], f[12]))
    return out


def main():
    gen = sys.argv[1]
    tmp = tempfile.mkdtemp(prefix="check-twins-")
    problems = []
    try:
        paths = {t: os.path.join(tmp, "fleet." + t) for t in TWINS}
        argv = [gen, "/dev/null", "300000", "4"] + ["--%s=%s" % (t, p) for t, p in paths.items()]
        summary = subprocess.run(argv, check=True, stderr=subprocess.PIPE, text=True).stderr
        n_records = int(re.search(r"records=(\d+)", summary).group(1))
        n_6013 = int(re.search(r"records by id: 1000=\d+ 6013=(\d+)", summary).group(1))
        n_crash = int(re.search(r"Event 1000 x(\d+)", summary).group(1))
        rdgw = re.search(r"planted: (\S+) svchost", summary).group(1)
        if shutil.which("xmllint"):
            wrapped = "<Events>" + open(paths["xml"], encoding="ascii").read() + "</Events>"
            r = subprocess.run(["xmllint", "--noout", "-"], input=wrapped, text=True, capture_output=True)
            if r.returncode:
                problems.append("xmllint rejects the XML twin: " + r.stderr[:300])
        reference = None
        for t in TWINS:
            try:
                recs = globals()["read_" + t](paths[t])
            except (ValueError, KeyError, AssertionError, AttributeError, ET.ParseError) as e:
                problems.append("%s: does not parse: %s: %s" % (t, type(e).__name__, e))
                continue
            keys = [r[:3] for r in recs]
            if len(recs) != n_records:
                problems.append("%s: %d records, gen_evtx wrote %d" % (t, len(recs), n_records))
            got_6013 = sum(1 for r in recs if r[1] == 6013)
            if got_6013 != n_6013:
                problems.append("%s: %d records of id 6013, gen_evtx wrote %d" % (t, got_6013, n_6013))
            crashes = sum(1 for r in recs if r[1] == 1000 and r[2] == rdgw and "svchost.exe_TSGateway" in r[3])
            if crashes != n_crash:
                problems.append("%s: %d TSGateway crashes on %s, gen_evtx planted %d" % (t, crashes, rdgw, n_crash))
            if reference is None:
                reference = keys
            elif keys != reference:
                first = next((i for i, (a, b) in enumerate(zip(keys, reference)) if a != b),
                             min(len(keys), len(reference)))
                problems.append("%s: records differ from the text twin's from #%d" % (t, first))
    finally:
        shutil.rmtree(tmp)
    for p in problems:
        print("check_twins: " + p, file=sys.stderr)
    if not problems:
        print("check_twins: %d twins of %d records agree (%d of id 6013, %d planted crashes)" %
              (len(TWINS), n_records, n_6013, n_crash))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
