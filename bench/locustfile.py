"""The load harness's users (Locust), run by ``bench/load.py`` — not imported by anything else.

Three kinds of people at once, each paced to a fixed rate so that the total offered load is known:
clerks record disbursements on their own measure (commands), citizens read what is public (reads),
auditors query the log (reads). Requests are named by class, so Locust's statistics are per class.
Ids and tokens come from the JSON file in ``PRONGSAI_LOAD_PLAN``, written by ``bench/load.py``.
"""

from __future__ import annotations

import itertools
import json
import os

from locust import FastHttpUser, constant_throughput, task

PLAN = json.loads(open(os.environ["PRONGSAI_LOAD_PLAN"], encoding="utf-8").read())  # noqa: SIM115
PER_USER = float(os.environ.get("PRONGSAI_LOAD_PER_USER", "10"))  # requests per second per user
_measures = itertools.cycle(PLAN["measures"])
_amounts = itertools.count(1)


class Clerk(FastHttpUser):
    fixed_count = PLAN["weights"]["clerk"]
    wait_time = constant_throughput(PER_USER)

    def on_start(self) -> None:
        self.measure = next(_measures)  # one measure per clerk: no two clerks race for a version
        self.headers = {"Authorization": f"Bearer {self.measure['token']}"}
        self.version = self.client.get(
            f"/api/v1/measures/{self.measure['id']}", headers=self.headers, name="setup"
        ).json()["version"]

    @task
    def disburse(self) -> None:
        body = {
            "version": self.version,
            "amount_satang": next(_amounts),
            "paid_on": self.measure["paid_on"],
            "document": {"number": "ฎีกา", "title": "ใบสำคัญ", "link": "https://example.go.th/d"},
        }
        url = f"/api/v1/measures/{self.measure['id']}/disbursements"
        with self.client.post(url, json=body, headers=self.headers, name="command", catch_response=True) as answer:
            if answer.status_code == 200:
                self.version = answer.json()["version"]
            else:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")


class Citizen(FastHttpUser):
    weight = PLAN["weights"]["citizen"]
    wait_time = constant_throughput(PER_USER)

    @task(3)
    def public_measures(self) -> None:
        self.client.get(f"/api/v1/public/organisations/{PLAN['org']}/measures", name="read")

    @task(1)
    def procurement_notices(self) -> None:
        self.client.get(f"/api/v1/public/organisations/{PLAN['org']}/procurement-notices", name="read")

    @task(1)
    def organisations(self) -> None:
        self.client.get("/api/v1/public/organisations", name="read")


class Auditor(FastHttpUser):
    fixed_count = PLAN["weights"]["auditor"]
    wait_time = constant_throughput(PER_USER)

    def on_start(self) -> None:
        self.headers = {"Authorization": f"Bearer {PLAN['auditor']}"}

    @task(2)
    def events(self) -> None:
        url = f"/api/v1/organisations/{PLAN['org']}/audit/events?limit=50&reason=load"
        self.client.get(url, headers=self.headers, name="audit read")

    @task(1)
    def history(self) -> None:
        url = f"/api/v1/measures/{PLAN['measures'][0]['id']}/history"
        self.client.get(url, headers=self.headers, name="audit read")
