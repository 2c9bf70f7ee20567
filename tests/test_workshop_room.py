"""The address a room types or scans to join a workshop (npkit.course.room): which address the
trainer's screen shows, what the QR code holds, and where /join sends a phone."""

import pytest

from npkit.course import room
from npkit.course.room import clean_address, join_page, room_address, room_login, with_code

JOIN = "/voila/render/08_workshop_join.ipynb"


@pytest.mark.parametrize(("typed", "address"), [
    ("http://192.168.1.20:8080/join", "http://192.168.1.20:8080/join"),
    ("http://192.168.1.20:8080/", "http://192.168.1.20:8080/join"),
    ("192.168.1.20:8080", "http://192.168.1.20:8080/join"),
    ("https://course.example.org/npkit/join/", "https://course.example.org/npkit/join"),
    ("https://[fe80::1]:8443", "https://[fe80::1]:8443/join"),
    (" HTTP://Laptop.local:8080 ", "http://laptop.local:8080/join"),
])
def test_an_address_becomes_a_join_address(typed, address):
    assert clean_address(typed) == address


@pytest.mark.parametrize("typed", [
    "", "   ", None, 42, "javascript:alert(1)", "ftp://host/", "http://", "http://a b/",
    "http://user:pw@host/", "http://host/?session=X", "http://host/#secret=x",
    "http://host:99999/", "http://" + "a" * 300,
])
def test_what_a_phone_cannot_open_or_a_wall_must_not_show_is_refused(typed):
    assert clean_address(typed) is None


def test_the_trainers_address_wins_then_the_configured_then_the_browsers():
    env = {room.JOIN_VARIABLE: "http://10.0.0.5:8080/join", room.HOST_VARIABLE: "0.0.0.0"}
    lan = lambda: ["192.168.1.20"]  # noqa: E731 - no network needed
    origin = "http://127.0.0.1:8866/"
    assert room_address(origin, "172.16.0.9:9000", env, lan) == "http://172.16.0.9:9000/join"
    assert room_address(origin, "not an address", env, lan) == "http://10.0.0.5:8080/join"
    assert room_address(origin, None, {room.HOST_VARIABLE: "0.0.0.0"}, lan) == \
        "http://192.168.1.20:8866/join"  # served to the network: this laptop's address
    assert room_address(origin, None, {room.HOST_VARIABLE: "127.0.0.1"}, lan) == \
        "http://127.0.0.1:8866/join"  # served to this computer only: as it is, and said so
    assert room.room_note("http://127.0.0.1:8866/join")
    assert room.room_note("http://192.168.1.20:8866/join") == ""
    assert room_address("https://hub.example.org/user/a/npkit/", None, {}, lan) == \
        "https://hub.example.org/user/a/npkit/join"
    assert room_address(None, None, {}, lan) is None  # outside Voila: no address yet
    assert room_address(origin, None, {room.HOST_VARIABLE: "0.0.0.0"}, lambda: []) == \
        "http://127.0.0.1:8866/join"  # no network at all


def test_the_qr_code_holds_the_address_with_the_code_and_is_drawn_here():
    import segno

    text = with_code("http://192.168.1.20:8080/join", "K7M2QX")
    assert text == "http://192.168.1.20:8080/join/K7M2QX"
    svg = room.qr_svg(text)
    assert svg.startswith("<svg ") and "http" not in svg and "<text" not in svg
    # the same modules as segno's own symbol for the text (error correction M)
    assert segno.make(text, error="m").svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", light="#fff",
        svgclass="npk-qr-svg") == svg


def test_join_sends_a_phone_to_the_join_page_with_the_code():
    assert join_page("/", "k7m-2qx") == f"{JOIN}?session=K7M2QX"
    assert join_page("/base/", "K7M2QX") == f"/base{JOIN}?session=K7M2QX"
    assert join_page("/", None) == JOIN
    # a code that cannot be one goes on as typed (letters, digits, dashes), for the page to
    # correct; anything else in it is dropped
    assert join_page("/", "k7m2q0") == f"{JOIN}?session=k7m2q0"
    assert join_page("/", "<script>") == f"{JOIN}?session=script"
    assert join_page("/", "&secret=x") == f"{JOIN}?session=secretx"
    assert join_page("/", "!!!") == JOIN


def test_the_room_password_is_shown_only_when_there_is_one():
    assert room_login({}) is None
    assert room_login({room.PASSWORD_VARIABLE: "  "}) is None
    assert room_login({room.PASSWORD_VARIABLE: "k7m2-qx9p"}) == ("trainee", "k7m2-qx9p")
    assert room_login({room.PASSWORD_VARIABLE: "pw", room.USER_VARIABLE: "room"}) == (
        "room", "pw")


def test_lan_addresses_are_network_addresses():
    found = room.lan_addresses()
    assert all(":" not in a and not room.is_loopback(a) for a in found)
    assert room.is_loopback("127.0.0.1") and room.is_loopback("localhost")
    assert room.is_loopback("[::1]") and not room.is_loopback("192.168.1.20")
