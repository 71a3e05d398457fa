import json
import subprocess
import sys

from .conftest import CORPUS, ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "geo", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_build_writes_geojson_and_reports_progress(tmp_path):
    out = tmp_path / "m.geojson"
    r = run("build", str(CORPUS), "--geojson", str(out))
    assert r.returncode == 0, r.stderr
    assert "[5/5]" in r.stderr and "wrote" in r.stderr
    fc = json.loads(out.read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in fc["features"]}
    assert {"Moscow", "Damascus", "Hmeimim Air Base", "Tartus"} <= names


def test_bad_files_are_named_and_skipped(tmp_path):
    (tmp_path / "good.txt").write_text("Fighting resumed near Aleppo.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    r = run("build", str(tmp_path))
    assert r.returncode == 0, r.stderr
    assert "empty.txt: the file is empty" in r.stderr
    assert r.stdout.startswith("Aleppo\tcity")


def test_empty_folder_fails_clearly(tmp_path):
    r = run("build", str(tmp_path))
    assert r.returncode == 1 and "no usable article" in r.stderr


def test_geocoder_server_options_are_checked():
    for args, option in [(["--geocoder-domain", "evil.example/search?q="], "--geocoder-domain"),
                         (["--geocoder-domain", "host:99999"], "--geocoder-domain"),
                         (["--geocoder-scheme", "ftp"], "--geocoder-scheme")]:
        r = run("build", "--geocoder", "nominatim", *args)
        assert r.returncode == 2 and option in r.stderr, r.stderr
    r = run("build", "--geocoder-domain", "localhost:8080")  # the offline geocoder has no server
    assert r.returncode == 2 and "--geocoder-domain" in r.stderr, r.stderr
