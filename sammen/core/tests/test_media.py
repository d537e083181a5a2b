from pathlib import Path

from django.test import Client, override_settings


def test_it_serves_stored_images_with_a_locked_down_policy(tmp_path: Path):
    (tmp_path / "avatars").mkdir()
    (tmp_path / "avatars" / "a.webp").write_bytes(b"RIFF....WEBP")
    with override_settings(MEDIA_ROOT=tmp_path):
        response = Client().get("/media/avatars/a.webp")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_it_never_serves_anything_but_webp(tmp_path: Path):
    (tmp_path / "evil.html").write_text("<script>alert(1)</script>")
    (tmp_path / "evil.svg").write_text("<svg/>")
    with override_settings(MEDIA_ROOT=tmp_path):
        client = Client()
        assert client.get("/media/evil.html").status_code == 404
        assert client.get("/media/evil.svg").status_code == 404
        assert client.get("/media/../settings.py").status_code == 404
        assert client.get("/media/missing.webp").status_code == 404
