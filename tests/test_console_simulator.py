"""Simulator mode: an officer persona's chat signs the console in through the fake LINE, as from a phone."""
from __future__ import annotations

from tests.console_helpers import csrf_token
from tests.test_simulator import settings, sim, state  # noqa: F401 - the simulator's fixtures


def test_the_officer_persona_signs_the_console_in_through_the_fake_line(app, sim, client):
    assert "เปิดเว็บเจ้าหน้าที่" in client.get("/simulator").get_data(as_text=True)
    key, name = sim.officer_personas()[-1]
    page = client.get(f"/console/sign-in?persona={key}").get_data(as_text=True)
    buttons = page.split("โหมดเครื่องจำลอง")[1]
    assert buttons.index(f"ส่งจาก LINE ของ {name}") == buttons.index("ส่งจาก LINE ของ ")  # the chat's own first
    token = csrf_token(client, "/console/sign-in")
    sent = client.post("/console/sign-in/simulator", data={"csrf_token": token, "persona": key})
    assert sent.status_code == 302
    landed = client.get(sent.headers["Location"])
    assert landed.status_code == 302 and landed.headers["Location"] == "/console/cases"
    assert name in client.get("/console/cases").get_data(as_text=True)
    chat = [e["message"].get("text", "") for e in state(client, key)["entries"]]
    assert any(t.startswith("เข้าระบบ ") for t in chat)
    assert any("เข้าระบบหน้าเว็บเจ้าหน้าที่ในนามของท่านแล้ว" in t for t in chat)


def test_only_officer_personas_can_send_a_code(app, sim, client):
    client.get("/console/sign-in")
    token = csrf_token(client, "/console/sign-in")
    principal = next(p.key for p in sim.personas.values() if p.role == "principal")
    assert client.post("/console/sign-in/simulator", data={"csrf_token": token, "persona": principal}).status_code == 404
