"""Locust users for bench/exam_day.py: candidates sitting an exam, and the floor they are compared with.

Run by bench/exam_day.py (headless, no web UI); the settings come from environment variables:
  EXAM_DAY_MODE        exam | floor | ramp_save | ramp_floor
  EXAM_DAY_CANDIDATES  a JSON file written by exam_day.py: one entry per candidate (attempt id, session cookie,
                       CSRF token, the paper's positions with their type and option keys)
  EXAM_DAY_OUT         where this process writes what it saw (acknowledged saves, timings) as JSON
  EXAM_DAY_BARRIER     (exam, floor) the Unix time at which every candidate starts
  EXAM_DAY_SECONDS     (exam, floor) how long each candidate sits before submitting
  EXAM_DAY_THINK       mean seconds between two saves of one candidate (default 20)
  EXAM_DAY_OFFLINE     share of candidates who lose the network for a while (default 0.1)
  EXAM_DAY_SPREAD      (exam, floor) seconds after the barrier within which every candidate starts (default 2)

A candidate behaves as the sitting page does: it saves each change at once with a per-attempt sequence
number; while "offline" it queues changes and, back online, sends the queue in order in one burst; a save
that fails (connection error, 5xx) is retried with the same sequence number until the server answers, so a
retry can never overwrite a newer answer. Only an answer the server acknowledged (200, stored or already
newer) counts as acknowledged; exam_day.py then checks every one of them against the database.
"""

from __future__ import annotations

import json
import os
import random
import threading
import time

import gevent
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

MODE = os.environ.get("EXAM_DAY_MODE", "exam")
CANDIDATES = json.loads(open(os.environ["EXAM_DAY_CANDIDATES"], encoding="utf-8").read())  # noqa: SIM115
OUT = os.environ["EXAM_DAY_OUT"]
BARRIER = float(os.environ.get("EXAM_DAY_BARRIER", "0"))
SECONDS = float(os.environ.get("EXAM_DAY_SECONDS", "120"))
THINK = float(os.environ.get("EXAM_DAY_THINK", "20"))
OFFLINE_SHARE = float(os.environ.get("EXAM_DAY_OFFLINE", "0.1"))
SPREAD = float(os.environ.get("EXAM_DAY_SPREAD", "2"))
RETRY_PAUSE = 0.5

_lock = threading.Lock()
_next = iter(range(len(CANDIDATES)))
RESULTS: dict = {"acked": {}, "starts": [], "saves": [], "floor": [], "submits": [], "errors": [],
                 "retries": 0, "submitted": [], "offline_candidates": 0,
                 # Wall-clock times, to tell the saves made while starts were still queued from the rest.
                 "start_ends": [], "save_sent": []}


_finished = [0]


def _stop(environment) -> None:
    """One candidate is done; when every candidate of this process is, end the run at once (otherwise
    Locust waits for --run-time)."""
    with _lock:
        _finished[0] += 1
        everyone = _finished[0] >= len(CANDIDATES)
    if everyone and environment.runner is not None:
        gevent.spawn_later(0.2, environment.runner.quit)
    raise StopUser()


def _take_candidate() -> dict:
    with _lock:
        index = next(_next, None)
    if index is None:
        raise StopUser()
    return CANDIDATES[index]


@events.quitting.add_listener
def _write_results(environment, **kwargs):
    with open(OUT, "w", encoding="utf-8") as handle:
        json.dump(RESULTS, handle)


def _answer_for(question: dict):
    kind, keys = question["type"], question["keys"]
    if kind == "single":
        return [random.choice(keys)]
    if kind == "multiple":
        return sorted(random.sample(keys, random.randint(1, len(keys))))
    if kind == "true_false":
        return [random.random() < 0.5]
    if kind == "fill_blank":
        return [str(random.randint(1, 99)) for _ in range(question["blanks"])]
    return ["答：" + "依法行政，" * random.randint(1, 20)]


class Candidate(FastHttpUser):
    wait_time = constant(0)
    # One connection per candidate, as one browser; generous timeouts: a slow answer is measured, not dropped.
    connection_timeout = 30.0
    network_timeout = 60.0

    def on_start(self):
        self.candidate = _take_candidate()
        self.headers = {
            "Cookie": f"sessionid={self.candidate['session_key']}; csrftoken={self.candidate['csrf']}",
            "X-CSRFToken": self.candidate["csrf"],
            "Referer": self.host + "/",
        }
        self.attempt_url = f"/exams/attempt/{self.candidate['attempt_id']}/"
        self.seq = 0
        self.device_token = ""

    # --- requests that retry as the page does --------------------------------------------------------------

    def _post(self, path: str, *, name: str, body=None, data=None, headers=None, ok=(200,), retry=True):
        """POST until the server gives an answer that is not a server error; returns (response, seconds)."""
        all_headers = {**self.headers, **(headers or {})}
        payload = json.dumps(body) if body is not None else None
        if payload is not None:
            all_headers["Content-Type"] = "application/json"
        while True:
            started = time.perf_counter()
            with self.client.post(path, data=payload if payload is not None else data, headers=all_headers,
                                  name=name, catch_response=True, allow_redirects=False) as response:
                elapsed = time.perf_counter() - started
                status = response.status_code or 0
                if status in ok:
                    response.success()
                    return response, elapsed
                if retry and (status == 0 or status >= 500):
                    response.failure(f"{status}: retrying")
                    RESULTS["retries"] += 1
                    time.sleep(RETRY_PAUSE)
                    continue
                response.failure(f"{status}: {(response.text or '')[:200]}")
                RESULTS["errors"].append({"name": name, "status": status, "body": (response.text or "")[:300]})
                return response, elapsed

    # --- the exam ------------------------------------------------------------------------------------------

    def _start(self) -> None:
        """The start button's POST, answered with the paper itself (one request, as the page does)."""
        started = time.perf_counter()
        response, _ = self._post(self.attempt_url + "start/", name="start", data="", ok=(200,),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        if response.status_code != 200 or b"data-device-token" not in (response.content or b""):
            RESULTS["errors"].append({"name": "paper", "status": response.status_code, "body": ""})
        token = ""
        cookies = response.headers.get("Set-Cookie") or []  # one string, or a list when several are set
        for cookie in [cookies] if isinstance(cookies, str) else cookies:
            name, _, value = cookie.split(";")[0].strip().partition("=")
            if name.startswith("exam_device_"):
                token = value
        self.device_token = token
        self.headers["Cookie"] += f"; exam_device_{self.candidate['attempt_id']}={token}"
        self.headers["X-Device-Token"] = token
        RESULTS["starts"].append(time.perf_counter() - started)
        RESULTS["start_ends"].append(time.time())

    def _save(self, question: dict, answer, seq: int) -> None:
        body = {"position": question["position"], "seq": seq, "answer": answer}
        sent = time.time()
        response, elapsed = self._post(self.attempt_url + "save/", name="save", body=body)
        RESULTS["saves"].append(elapsed)
        RESULTS["save_sent"].append(sent)
        if response.status_code == 200:
            stored = response.json()
            key = f"{self.candidate['attempt_id']}:{question['position']}"
            previous = RESULTS["acked"].get(key)
            if previous is None or previous[0] < seq:
                RESULTS["acked"][key] = [seq, answer]
            assert stored["seq"] >= seq

    def _submit(self) -> None:
        response, elapsed = self._post(self.attempt_url + "submit/", name="submit", body={})
        RESULTS["submits"].append(elapsed)
        if response.status_code == 200:
            RESULTS["submitted"].append(self.candidate["attempt_id"])

    def _sit(self) -> None:
        questions = self.candidate["questions"]
        offline_from = offline_until = None
        if random.random() < OFFLINE_SHARE:
            RESULTS["offline_candidates"] += 1
            offline_from = random.uniform(0.2, 0.5) * SECONDS
            offline_until = offline_from + random.uniform(0.2, 0.35) * SECONDS
        began = time.time()
        queue: list[tuple[dict, object, int]] = []
        while time.time() - began < SECONDS:
            time.sleep(random.uniform(0.25, 1.75) * THINK)
            if time.time() - began >= SECONDS:
                break
            # Mostly the next unanswered question, sometimes a change of mind on an earlier one.
            question = random.choice(questions)
            self.seq += 1
            answer = _answer_for(question)
            elapsed = time.time() - began
            if offline_from is not None and offline_from <= elapsed < offline_until:
                queue.append((question, answer, self.seq))  # the page's offline queue
                continue
            for queued in queue:  # back online: the queue goes first, in order, in one burst
                self._save(*queued)
            queue.clear()
            self._save(question, answer, self.seq)
        for queued in queue:
            self._save(*queued)

    @task
    def sit(self):
        if MODE in ("ramp_save", "ramp_floor"):
            return self._ramp()
        time.sleep(max(0.0, BARRIER - time.time()) + random.uniform(0, SPREAD))
        if MODE == "floor":
            return self._floor_sitting()
        try:
            self._start()
            self._sit()
            self._submit()
        except StopUser:
            raise
        except Exception as exc:  # a candidate whose script broke is an error of the run, never silence
            RESULTS["errors"].append({"name": "exception", "status": 0, "body": repr(exc)[:300]})
        _stop(self.environment)

    # --- the floor: the same pacing against a minimal signed-in view ---------------------------------------

    def _floor_get(self, name="floor") -> float:
        started = time.perf_counter()
        with self.client.get("/bench/floor/", headers=self.headers, name=name, catch_response=True) as response:
            if response.status_code == 200 and response.content == b"ok":
                response.success()
            else:
                response.failure(f"floor {response.status_code}")
                RESULTS["errors"].append({"name": "floor", "status": response.status_code, "body": ""})
        return time.perf_counter() - started

    def _floor_sitting(self):
        RESULTS["starts"].append(self._floor_get("floor_start"))
        began = time.time()
        while time.time() - began < SECONDS:
            time.sleep(random.uniform(0.25, 1.75) * THINK)
            if time.time() - began >= SECONDS:
                break
            RESULTS["floor"].append(self._floor_get())
        _stop(self.environment)

    # --- ramps: closed loop, no think time; exam_day.py adds users step by step ----------------------------

    def _ramp(self):
        self.device_token = self.candidate["device_token"]
        self.headers["Cookie"] += f"; exam_device_{self.candidate['attempt_id']}={self.device_token}"
        self.headers["X-Device-Token"] = self.device_token
        self.seq = self.candidate.get("seq_base", 0)
        ends = time.time() + SECONDS  # stop by itself: locust would otherwise wait out its stop timeout
        while time.time() < ends:
            started = time.time()
            if MODE == "ramp_floor":
                elapsed = self._floor_get()
            else:
                question = random.choice(self.candidate["questions"])
                self.seq += 1
                response, elapsed = self._post(self.attempt_url + "save/", name="save",
                                               body={"position": question["position"], "seq": self.seq,
                                                     "answer": _answer_for(question)}, retry=False)
            RESULTS["saves" if MODE == "ramp_save" else "floor"].append([started, elapsed])
        _stop(self.environment)
