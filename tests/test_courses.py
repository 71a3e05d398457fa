"""A river's pin on its course, at the point nearest the story's focus."""
from geo.models import Place
from geo.resolution.courses import at_story


def river(geometry: dict) -> Place:
    return Place(id="r", name="River", kind="water", lat=0.0, lon=5.0, geometry=geometry)


def test_the_pin_moves_to_the_nearest_point_of_the_course():
    p = at_story(river({"type": "MultiLineString",
                        "coordinates": [[[0.0, 0.0], [10.0, 0.0]], [[20.0, 0.0], [30.0, 0.0]]]}),
                 (1.0, 22.0))
    assert (p.lat, p.lon) == (0.0, 22.0)
    p = at_story(river({"type": "LineString", "coordinates": [[0.0, 0.0], [0.0, 10.0]]}),
                 (4.0, 3.0))
    assert (p.lat, p.lon) == (4.0, 0.0)


def test_without_a_course_or_a_focus_the_place_is_unchanged():
    r = river({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})
    assert at_story(r, (3.0, 3.0)) is r
    line = river({"type": "LineString", "coordinates": [[0.0, 0.0], [0.0, 10.0]]})
    assert at_story(line, None) is line
    assert at_story(None, (1.0, 1.0)) is None
