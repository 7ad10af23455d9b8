# ops/bench-mail's summary of a sink log: mails handed over, mails/s between
# the first and the last, and the lag from each ticket's commit (created_at,
# read back from the API) to the handover of its mails, p50/p99/max.
# Usage: python3 ops/bench-mail-lag.py SINK_LOG BASE_URL TOKEN
import json
import re
import sys
import urllib.parse
import urllib.request
from datetime import datetime


def tickets_created_at(base, token):
    created, cursor = {}, ""
    while True:
        query = {"page_size": "200"}
        if cursor:
            query["cursor"] = cursor
        request = urllib.request.Request(f"{base}/api/v1/tickets?{urllib.parse.urlencode(query)}",
                                         headers={"Authorization": f"Bearer {token}"})
        page = json.load(urllib.request.urlopen(request))
        for item in page["items"]:
            stamp = datetime.fromisoformat(item["created_at"].replace("Z", "+00:00"))
            created[item["id"]] = stamp.timestamp()
        cursor = page.get("next_cursor") or ""
        if not cursor:
            return created


def percentile(values, p):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    log, base, token = sys.argv[1], sys.argv[2], sys.argv[3]
    received = []
    with open(log) as f:
        for line in f:
            stamp, _, message_id = line.strip().partition(" ")
            received.append((float(stamp), message_id))
    created = tickets_created_at(base, token)
    lags = []
    for stamp, message_id in received:
        match = re.match(r"<t\.([0-9a-f-]{36})\.e\.", message_id)
        if match and match.group(1) in created:
            lags.append((stamp - created[match.group(1)]) * 1000)
    lags.sort()
    span = received[-1][0] - received[0][0] if len(received) > 1 else 0
    rate = len(received) / span if span > 0 else 0
    print(f"MAILBENCH mails={len(received)} tickets={len(created)} mails_per_s={rate:.1f} "
          f"lag_p50_ms={percentile(lags, 50):.1f} lag_p99_ms={percentile(lags, 99):.1f} "
          f"lag_max_ms={(lags[-1] if lags else float('nan')):.1f}")


if __name__ == "__main__":
    main()
