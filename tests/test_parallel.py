"""Recognising in forked worker processes gives what one process gives, in order."""
import pytest

from geo.models import Article
from geo.parallel import _chunks, can_fork, fork_map, resolve_processes

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs the fork start method")

TEXTS = ["MOSCOW - Moscow said troops left northeastern Syria.",
         "Flooding hit Dhaka and Chittagong in Bangladesh.",
         "Nothing happened here.",
         "Firefighters in Austin, Texas, were busy near the Colorado River.",
         "The US Geological Survey measured a quake near Hebei province."]


def test_fork_map_keeps_order_and_runs_small_inputs_here():
    items = list(range(100))
    assert list(fork_map(lambda chunk: [x * 2 for x in chunk], items, 2, chunk=7)) == \
        [x * 2 for x in items]
    assert list(fork_map(lambda chunk: [x + 1 for x in chunk], [1, 2], 2)) == [2, 3]
    assert resolve_processes(None) >= 1 and resolve_processes(3) == 3


def test_chunks_shrink_towards_the_end_so_workers_finish_together():
    chunks = _chunks(list(range(588)), 16, 2)
    assert [x for c in chunks for x in c] == list(range(588))
    sizes = [len(c) for c in chunks]
    assert max(sizes) == 16 and sizes == sorted(sizes, reverse=True) and sizes[-2] <= 2


def test_parse_in_two_processes_is_the_parse_in_one(pipeline):
    from geo.evaluation.toponyms import Toponymizer

    docs = [{"id": str(i), "text": TEXTS[i % len(TEXTS)]} for i in range(40)]
    tz = Toponymizer(pipeline)
    assert list(tz.parse_docs(docs, n_process=2, batch_size=8)) == \
        list(tz.parse_docs(docs, n_process=1))


def test_pipeline_recognises_in_processes_and_resolves_the_story_here(pipeline):
    from dataclasses import replace

    articles = [Article(f"a{i}", TEXTS[i % len(TEXTS)], f"S{i % 3}") for i in range(35)]
    one = replace(pipeline, processes=1)(articles)
    two = replace(pipeline, processes=2)(articles)
    assert one == two
    assert pipeline.processes is None  # the default: one process per core
