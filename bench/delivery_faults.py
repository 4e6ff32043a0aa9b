"""A bad day at LINE: 30 % of pushes time out; how long do principals wait for "ได้รับรายงานแล้ว"?

Builds the real app on a temporary SQLite file (or --database URL) with the fake LINE on loopback
(real time), `--officers` active officers, and runs the event worker and the periodic jobs in
this process, as `python app.py` does. Each round, `--principals` principals who have filled in
the whole form tap ยืนยัน at the same moment (signed webhooks through the real /callback); the
time from each tap to the fake LINE accepting that principal's "ได้รับรายงานแล้ว" is recorded.
Meanwhile `--share` of all pushes take `--delay` s, longer than the bot waits (LINE_TIMEOUT_SECONDS
= `--timeout`); half of those were carried out by LINE (their answer lost), half not. At the end
every alert must have reached every officer exactly once (retry keys), or the script exits 1.

    .venv/bin/python bench/delivery_faults.py [--rounds 5] [--principals 6] [--share 0.3]

Results and the machine: docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from app import create_app  # noqa: E402
from bot.fake_line import FakeLinePlatform  # noqa: E402
from config.settings import Settings  # noqa: E402
from handlers import worker  # noqa: E402
from models import Outbox  # noqa: E402
from tests.helpers import add_officer, fill_report  # noqa: E402

SECRET, TOKEN, FILED = "bench-channel-secret", "bench-access-token", "ได้รับรายงานแล้ว"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--principals", type=int, default=6, help="confirming together each round")
    parser.add_argument("--officers", type=int, default=3)
    parser.add_argument("--share", type=float, default=0.3, help="share of pushes that time out")
    parser.add_argument("--delay", type=float, default=6.0, help="how long a slow push takes to answer (s)")
    parser.add_argument("--timeout", type=float, default=5.0, help="LINE_TIMEOUT_SECONDS")
    parser.add_argument("--database", default="", help="a database URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    tmp = tempfile.mkdtemp(prefix="ccpc-faults-")
    line = FakeLinePlatform(SECRET, access_token=TOKEN)
    line.start()
    settings = Settings(line_channel_secret=SECRET, line_channel_access_token=TOKEN, line_api_base_url=line.base_url,
                        line_timeout_seconds=args.timeout, database_url=args.database or f"sqlite:///{tmp}/b.sqlite3",
                        districts=("เมืองตัวอย่าง",), centre_hotlines=("08x-xxx-0000",), media_dir=f"{tmp}/media",
                        secret_key="bench-signing-key-" + "x" * 40, event_poll_seconds=0.2)
    app = create_app(settings)
    services, client = app.extensions["ccpc"], app.test_client()

    def post(body: bytes, signature: str) -> int:
        return client.post("/callback", data=body, headers={"X-Line-Signature": signature,
                                                           "Content-Type": "application/json"}).status_code

    def post_and_handle(body: bytes, signature: str) -> int:
        status = post(body, signature)
        worker.drain(services)
        services.sends.wait_idle()
        return status

    officers = [add_officer(services, line, f"เจ้าหน้าที่ทดสอบ {n}", f"081-000-{n:04d}") for n in range(args.officers)]
    answered: dict[str, float] = {}
    line.listen(lambda kind, record: answered.setdefault(record.to, time.perf_counter())
                if kind == "delivery" and FILED in str(record.messages) else None)
    line.deliver = post_and_handle  # every form filled first, without faults, handled at once
    rounds = [[line.user() for _ in range(args.principals)] for _ in range(args.rounds)]
    for principal in (p for group in rounds for p in group):
        fill_report(principal)
    line.deliver = post
    started = worker.start(services)  # the event worker and the periodic jobs (outbox retries)
    waits: list[float] = []
    line.time_out_share("/v2/bot/message/push", args.share, args.delay, seed=1)  # retries too: a bad day
    line.time_out_share("/v2/bot/message/multicast", args.share, args.delay, seed=2)  # a case's alert to several
    for principals in rounds:
        tapped, go = {}, threading.Barrier(len(principals))

        def confirm(principal) -> None:
            go.wait()
            tapped[principal.user_id] = time.perf_counter()
            principal.taps("ยืนยัน")

        threads = [threading.Thread(target=confirm, args=(p,)) for p in principals]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        line.wait_until(lambda: all(p.user_id in answered for p in principals), 120)
        waits += [answered[p.user_id] - tapped[p.user_id] for p in principals if p.user_id in answered]
    total_cases = args.rounds * args.principals

    def all_sent() -> bool:
        with services.db.session() as session:
            return not session.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "pending"))

    delivered = line.wait_until(lambda: all_sent() and all(
        sum(m.get("type") == "flex" for m in line.messages_to(o.user_id)) >= total_cases for o in officers), 300)
    per_officer = [Counter(m["altText"] for m in line.messages_to(o.user_id) if m.get("type") == "flex")
                   for o in officers]
    pushes = [r for r in line.requests if r["path"] in ("/v2/bot/message/push", "/v2/bot/message/multicast")]
    statuses = Counter(row.status for row in services.db.session().__enter__().scalars(select(Outbox)))
    started.stop()
    print(f"{total_cases} confirmations ({args.rounds} rounds of {args.principals} together), "
          f"{args.officers} officers, {args.share:.0%} of pushes answered after {args.delay} s "
          f"(bot gives up after {args.timeout} s)")
    print(f"tap -> 'ได้รับรายงานแล้ว': median {percentile(waits, 0.5):.3f} s, p99 {percentile(waits, 0.99):.3f} s, "
          f"max {max(waits):.3f} s; answered {len(waits)}/{total_cases}")
    once = all(len(c) == total_cases and set(c.values()) == {1} for c in per_officer)
    print(f"alerts: {sum(sum(c.values()) for c in per_officer)} delivered for {total_cases * args.officers} expected, "
          f"each exactly once: {once}; push and multicast requests {len(pushes)}; outbox {dict(statuses)}")
    line.stop()
    return 0 if delivered and once and len(waits) == total_cases else 1


if __name__ == "__main__":
    sys.exit(main())
