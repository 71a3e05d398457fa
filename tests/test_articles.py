import codecs
import os
import stat
import threading

import pytest

from geo.errors import ArticleError
from geo.ingest.articles import (
    LABEL_MAX,
    MAX_BYTES,
    MAX_FRONT_MATTER,
    headline,
    load_corpus,
    load_files,
    parse_article,
    read_corpus_file,
    source_label,
)

from .conftest import CORPUS, ROOT

#: A "billion laughs" in 362 bytes: the title is 9**9 "lol"s once composed (65 s and 3 GB
#: with ``yaml.safe_load`` and ``str``).
ALIAS_BOMB = ("---\na: &a [" + ",".join(['"lol"'] * 9) + "]\n"
              + "".join(f"{c}: &{c} [{','.join([f'*{p}'] * 9)}]\n"
                        for p, c in zip("abcdefg", "bcdefgh"))
              + "title: [" + ",".join(["*h"] * 9) + "]\n---\nIn Aleppo.\n").encode()


def test_bundled_corpus_loads_with_sources_and_unchanged_bodies():
    result = load_corpus(CORPUS)
    assert result.problems == [] and result.warnings == []
    ids = [a.id for a in result.articles]
    assert ids == sorted(p.stem for p in CORPUS.glob("*.txt"))
    by_id = {a.id: a for a in result.articles}
    assert by_id["002_7bc71397358f8176"].source == "RT News"
    assert by_id["000_65565713dc3966dd"].source == "Frances Martel"
    seeds = ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():  # the body is the seed text, byte for byte
        for a in result.articles:
            assert a.text == (seeds / f"{a.id}.txt").read_text(encoding="utf-8")


def test_front_matter_fields():
    a, warning = parse_article("x.md", b"---\nsource: Daily\nurl: https://e.x/a\n---\nIn Rome.\n")
    assert (a.id, a.source, a.url, a.text, warning) == ("x", "Daily", "https://e.x/a", "In Rome.\n", None)


def test_front_matter_values_are_kept_verbatim_and_unknown_keys_ignored():
    a, _ = parse_article("x.md", b"---\npublished: 2024-01-05\ntitle: 'true'\nauthor: Jo\n"
                                 b"source: ~\nurl: ''\n---\nIn Rome.")
    assert (a.published, a.title, a.source, a.url) == ("2024-01-05", "true", "true", None)


def test_without_a_source_the_label_is_the_title_then_the_headline_then_the_file_stem():
    a, _ = parse_article("dir/story-7.txt", b"---\ntitle: Talks   in Paris\n---\nTalks.")
    assert a.source == "Talks in Paris"
    a, _ = parse_article("dir/story-7.txt", "Floods hit Mumbai\nRain fell all day.".encode())
    assert a.source == "Floods hit Mumbai" and a.title is None
    a, _ = parse_article("dir/story-7.txt", "Talks in Paris.".encode())
    assert a.source == "story-7" and a.text == "Talks in Paris."


@pytest.mark.parametrize("body", [
    "Rain fell all day in Mumbai.\nMore rain.",   # a sentence, not a headline
    "Mumbai\nRain fell all day.",                 # one word: a dateline or a heading
    "Floods hit Mumbai",                           # nothing after it
    "x" * 130 + " y\nRain.",                      # too long for a headline
])
def test_a_first_line_that_is_not_a_headline_is_not_a_label(body):
    assert headline(body) is None


def test_long_titles_are_shortened_for_the_legend():
    label = source_label(None, "A " * 60, "Text.", "a")
    assert len(label) == LABEL_MAX and label.endswith("…")
    assert source_label("Reuters", "A title", "Text.", "a") == "Reuters"


@pytest.mark.parametrize("data, problem", [
    (b"", "empty"),
    (b"   \n\t", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b"x" * (MAX_BYTES + 1), "limit"),
    (b'---\nsource: A\ntitle: "unclosed\n---\nbody', "not valid YAML: found unexpected end"),
    (b"---\nsource: A\n\x07: x\n---\nbody", "not valid YAML: special characters"),
    (b"---\nsource: A\n---\n  \n", "no text"),
    (codecs.BOM_UTF16_LE + b"a", "not valid UTF-16"),
])
def test_bad_files_raise_a_message_naming_the_file(data, problem):
    with pytest.raises(ArticleError) as err:
        parse_article("bad.txt", data)
    assert "bad.txt" in str(err.value) and problem in str(err.value)


def test_windows_1252_is_read_with_a_warning():
    a, warning = parse_article("w.txt", "Caf\u00e9 in Montr\u00e9al".encode("cp1252"))
    assert a.text == "Café in Montréal" and "Windows-1252" in warning


@pytest.mark.parametrize("bom, encoding", [
    (b"", "utf-16"), (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"", "utf-32"), (codecs.BOM_UTF32_BE, "utf-32-be")])
def test_utf16_and_utf32_with_a_bom_are_text(bom, encoding):
    text = "---\nsource: Le Monde\n---\nCafé in Montréal, 東京."
    a, warning = parse_article("u.txt", bom + text.encode(encoding))
    assert (a.text, a.source, warning) == ("Café in Montréal, 東京.", "Le Monde", None)


# -- hostile front matter ----------------------------------------------------------------

def test_alias_bomb_is_refused_and_the_other_files_load():
    result = load_files([("bomb.md", ALIAS_BOMB), ("ok.txt", b"Shelling in Homs.")])
    assert [a.id for a in result.articles] == ["ok"]
    [problem] = result.problems
    assert problem.path == "bomb.md" and "anchors or aliases" in problem.problem


@pytest.mark.parametrize("yaml_text", [
    "source: &x Daily\ntitle: *x",
    "title: *undefined",
    "source: &x Daily",
])
def test_anchors_and_aliases_are_refused(yaml_text):
    with pytest.raises(ArticleError, match="anchors or aliases"):
        parse_article("a.md", f"---\n{yaml_text}\n---\nIn Rome.".encode())


@pytest.mark.parametrize("yaml_text, problem", [
    ("source: [Daily, Weekly]", "gives 'source' a list or mapping"),
    ("source:\n  - Daily", "gives 'source' a list or mapping"),
    ("title: {a: 1}", "gives 'title' a list or mapping"),
    ("tags: " + "[" * 9 + "a" + "]" * 9, "deeper than 8 levels"),
    ("tags: " + "[" * 15_000, "deeper than 8 levels"),
    ("? [a]\n: b", "has a list or mapping as a key"),
    ("source: " + "[" * 15_000, "gives 'source' a list or mapping"),
    ("[" * 15_000, "must be 'key: value' lines"),
    ("Just a sentence.", "must be 'key: value' lines"),
    ("source: A\n--- |\n  B", "more than one YAML document"),
])
def test_front_matter_must_be_flat_key_value_lines(yaml_text, problem):
    with pytest.raises(ArticleError, match=problem):
        parse_article("a.md", f"---\n{yaml_text}\n---\nIn Rome.".encode())


def test_other_keys_may_hold_lists_and_are_ignored():
    text = "---\ntags: [syria, war]\nauthors:\n  - {name: A}\nsource: Daily\n---\nIn Rome."
    article, _ = parse_article("a.md", text.encode())
    assert article.source == "Daily" and article.text == "In Rome."


def test_front_matter_over_the_size_limit_is_refused():
    data = f"---\nsource: A\ntitle: {'x' * MAX_FRONT_MATTER}\n---\nIn Rome.".encode()
    with pytest.raises(ArticleError, match="front matter is 16,4.. characters; the limit"):
        parse_article("a.md", data)


def test_deep_nesting_is_refused_and_the_other_files_load():
    result = load_files([("deep.md", b"---\n" + b"[" * 40_000 + b"\n---\nIn Rome."),
                         ("ok.txt", b"Shelling in Homs.")])
    assert [a.id for a in result.articles] == ["ok"]
    assert [p.path for p in result.problems] == ["deep.md"]


def test_any_parser_failure_is_the_files_problem():
    # PyYAML raises OverflowError, not a YAMLError, for this escape.
    result = load_files([("esc.md", b'---\nsource: "\\UFFFFFFFF"\n---\nIn Rome.'),
                         ("ok.txt", b"Shelling in Homs.")])
    assert [a.id for a in result.articles] == ["ok"]
    assert [p.problem for p in result.problems] == ["front matter cannot be read (OverflowError)"]


# -- corpus folders ------------------------------------------------------------------------

def test_folder_load_skips_bad_files_but_keeps_the_rest(tmp_path):
    (tmp_path / "a.txt").write_text("Troops entered Aleppo.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    (tmp_path / "d.md").write_text("<script>alert(1)</script> in Homs", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")  # hidden files are ignored silently
    result = load_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["a", "d"]
    assert [str(p) for p in result.problems] == [
        "b.txt: the file is empty", "c.png: only .txt and .md files are read"]


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(ArticleError, match="no such folder"):
        load_corpus(tmp_path / "nope")


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """Paths the loader passes to ``os.open``, to prove what it never opened."""
    paths: list[str] = []
    real_open = os.open

    def spy(path, *args, **kwargs):
        paths.append(os.fspath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    return paths


def test_links_out_of_the_folder_are_never_followed(tmp_path, opened):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.txt").write_text("Secret talks in Paris.", encoding="utf-8")
    (corpus / "a.txt").write_text("Troops entered Aleppo.", encoding="utf-8")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "secret.txt").symlink_to(tmp_path / "secret.txt")
    (corpus / "up.txt").symlink_to("../secret.txt")
    (corpus / "same.txt").symlink_to("a.txt")  # inside the folder: read
    result = load_corpus(corpus)
    assert [a.id for a in result.articles] == ["a", "same"]
    assert [str(p) for p in result.problems] == [f"{n}: is a link to outside the folder"
                                                 for n in ("passwd.txt", "secret.txt", "up.txt")]
    assert not any("passwd" in p or "secret" in p for p in opened)


def test_special_files_are_named_and_never_opened(tmp_path, opened):
    (tmp_path / "a.txt").write_text("Troops entered Aleppo.", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dir.txt").mkdir()
    (tmp_path / "gone.txt").symlink_to("missing.txt")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    result = load_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["a"]
    assert [str(p) for p in result.problems] == [
        "dir.txt: is a folder (sub-folders are not read)",
        "gone.txt: is a broken link",
        "notes.pdf: only .txt and .md files are read",
        "pipe.txt: is not a regular file (a pipe, socket or device)"]
    assert [os.path.basename(p) for p in opened] == ["a.txt"]


def test_oversized_files_are_refused_by_size_without_reading(tmp_path, opened):
    with open(tmp_path / "big.txt", "wb") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: no disk used
    result = load_corpus(tmp_path)
    assert [str(p) for p in result.problems] == [
        f"big.txt: the file is {MAX_BYTES + 1:,} bytes; the limit is {MAX_BYTES:,}"]
    assert opened == []


def test_reads_are_bounded_even_if_the_size_was_wrong(tmp_path, monkeypatch):
    with open(tmp_path / "grew.txt", "wb") as f:
        f.truncate(3 * MAX_BYTES)
    real_lstat = os.lstat

    def small(path, *args, **kwargs):  # as if the file grew after it was checked
        st = real_lstat(path, *args, **kwargs)
        return os.stat_result(st[:6] + (10,) + st[7:])

    monkeypatch.setattr(os, "lstat", small)
    assert len(read_corpus_file(str(tmp_path.resolve()), "grew.txt")) == MAX_BYTES + 1


@pytest.fixture
def swapped(monkeypatch):
    """Make ``os.lstat`` call a file regular, as if it were swapped after it was checked."""
    real_lstat = os.lstat

    def regular(path, *args, **kwargs):
        st = real_lstat(path, *args, **kwargs)
        return os.stat_result((stat.S_IFREG | 0o644,) + st[1:])

    monkeypatch.setattr(os, "lstat", regular)


def test_a_fifo_swapped_in_after_the_check_is_not_read(tmp_path, swapped):
    os.mkfifo(tmp_path / "pipe.txt")
    result: list = []
    loading = threading.Thread(target=lambda: result.append(load_corpus(tmp_path)), daemon=True)
    loading.start()
    loading.join(5)  # opening a FIFO without O_NONBLOCK waits for a writer: forever
    assert not loading.is_alive(), "opening the FIFO blocked"
    assert [str(p) for p in result[0].problems] == [
        "pipe.txt: is not a regular file (a pipe, socket or device)"]


def test_a_link_swapped_in_after_the_check_is_not_followed(tmp_path, swapped):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "secret.txt").write_text("Secret talks in Paris.", encoding="utf-8")
    (corpus / "x.txt").symlink_to(tmp_path / "secret.txt")
    result = load_corpus(corpus)
    assert result.articles == []
    assert [str(p) for p in result.problems] == [
        "x.txt: cannot be read (Too many levels of symbolic links)"]


def test_unreadable_files_are_named(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("Troops entered Aleppo.", encoding="utf-8")
    (tmp_path / "locked.txt").write_text("Secret.", encoding="utf-8")
    real_open = os.open

    def deny(path, *args, **kwargs):  # chmod 000 does not stop root, who runs the CI
        if os.fspath(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny)
    result = load_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["a"]
    assert [str(p) for p in result.problems] == ["locked.txt: cannot be read (Permission denied)"]


def test_messages_name_files_never_server_paths(tmp_path):
    (tmp_path / "a.txt").write_bytes("Café in Aleppo".encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.md").write_bytes(b"---\nsource: [x]\n---\nIn Homs.")
    (tmp_path / "link.txt").symlink_to("/etc/hostname")
    (tmp_path / "dir.md").mkdir()
    result = load_corpus(tmp_path)
    assert [a.path for a in result.articles] == ["a.txt"]
    assert [p.path for p in result.problems] == ["b.txt", "c.md", "dir.md", "link.txt"]
    shown = [str(p) for p in result.problems] + result.warnings
    assert len(shown) == 5 and not any(str(tmp_path) in s or "/etc" in s for s in shown)
