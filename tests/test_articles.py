import pytest

from geo.articles import MAX_BYTES, load_corpus, parse_article
from geo.errors import ArticleError

from .conftest import CORPUS, ROOT


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


def test_without_front_matter_the_source_is_the_file_stem():
    a, _ = parse_article("dir/story-7.txt", "Talks in Paris.".encode())
    assert a.source == "story-7" and a.text == "Talks in Paris."


@pytest.mark.parametrize("data, problem", [
    (b"", "empty"),
    (b"   \n\t", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b"x" * (MAX_BYTES + 1), "limit"),
    (b"---\nsource: [unclosed\n---\nbody", "YAML"),
    (b"---\nsource: A\n---\n  \n", "no text"),
])
def test_bad_files_raise_a_message_naming_the_file(data, problem):
    with pytest.raises(ArticleError) as err:
        parse_article("bad.txt", data)
    assert "bad.txt" in str(err.value) and problem in str(err.value)


def test_windows_1252_is_read_with_a_warning():
    a, warning = parse_article("w.txt", "Caf\u00e9 in Montr\u00e9al".encode("cp1252"))
    assert a.text == "Café in Montréal" and "Windows-1252" in warning


def test_folder_load_skips_bad_files_but_keeps_the_rest(tmp_path):
    (tmp_path / "a.txt").write_text("Troops entered Aleppo.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    (tmp_path / "d.md").write_text("<script>alert(1)</script> in Homs", encoding="utf-8")
    result = load_corpus(tmp_path)
    assert [a.id for a in result.articles] == ["a", "d"]
    assert len(result.problems) == 1 and "b.txt" in str(result.problems[0])


def test_missing_folder_is_an_error(tmp_path):
    with pytest.raises(ArticleError, match="no such folder"):
        load_corpus(tmp_path / "nope")
