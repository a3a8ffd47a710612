"""An abbreviation defined by, or written next to, a long form means that long form's entity.

"OCP" is a catalog alias of the Open Compute Project, but in "the Open Container Project (OCP)"
or "开放容器计划（OCP）" it names the Open Container Initiative: the article's own definition wins
over the catalog, for every mention of the abbreviation in that article.
"""

from __future__ import annotations

import pytest

from ingest.nlp import Extractor
from kg.catalog import Catalog, CatalogEntry

OCI = "Open Container Initiative"
OCP = "Open Compute Project"


@pytest.fixture(scope="module")
def x() -> Extractor:
    return Extractor(learned=False, catalog=Catalog([
        CatalogEntry("Organization", OCI, aliases=("OCI", "Open Container Project", "开放容器倡议", "开放容器计划")),
        CatalogEntry("Organization", OCP, name_zh="开放计算项目", aliases=("OCP", "开放运算计划", "開放運算計劃")),
        CatalogEntry("Vendor", "Docker Inc.", aliases=("Docker, Inc.",)),
        CatalogEntry("Product", "Docker", maker="Docker Inc."),
        CatalogEntry("Vendor", "CoreOS"),
        CatalogEntry("Vendor", "Google", name_zh="谷歌"),
        CatalogEntry("Vendor", "Microsoft", name_zh="微软", aliases=("微軟",)),
        CatalogEntry("Organization", "Linux Foundation", name_zh="Linux基金会", aliases=("Linux 基金会",)),
    ]))


def _names_of(ex, surface: str) -> set[str]:
    """Entities that hold a mention written as `surface`."""
    return {e.name for e in ex.entities if any(m.text == surface for m in e.mentions)}


@pytest.mark.parametrize("text", [
    "Docker and CoreOS announced the Open Container Project (OCP) in June 2015. Google joined the OCP too.",
    "Docker, CoreOS and Google launched the Open Container Project, or OCP, in June 2015. The OCP is young.",
])
def test_english_definition_beats_catalog(x, text):
    ex = x.extract(text, "t", "en")
    assert _names_of(ex, "OCP") == {OCI}
    assert OCP not in {e.name for e in ex.entities}
    oci = next(e for e in ex.entities if e.name == OCI)
    assert text.count("OCP") == sum(m.text == "OCP" for m in oci.mentions)  # every mention follows


@pytest.mark.parametrize("text", [
    "2015年6月，Docker 和 CoreOS 宣布成立开放容器计划（OCP），谷歌和微软也加入了 OCP。",
    "Docker 与 CoreOS 一同发起了开放容器计划 OCP ，该组织由 Linux 基金会托管。",
    "開放容器計劃（OCP）由 Docker 與 CoreOS 共同發起，微軟隨後也加入 OCP。",
])
def test_chinese_definition_beats_catalog(x, text):
    ex = x.extract(text, "t", "zh")
    assert _names_of(ex, "OCP") == {OCI}
    assert OCP not in {e.name for e in ex.entities}
    # relations on the abbreviation go to the container body too
    assert all(OCP not in (r.subject, r.object) and "open-compute" not in r.object for r in ex.relations)


def test_the_catalog_reading_stays_without_a_definition(x):
    en = x.extract("Microsoft joined the OCP and contributed server designs.", "t", "en")
    assert _names_of(en, "OCP") == {OCP}
    zh = x.extract("微软加入了开放计算项目（OCP），并贡献了服务器设计。", "t", "zh")
    assert _names_of(zh, "OCP") == {OCP}


def test_an_acronym_that_does_not_abbreviate_its_neighbour_is_not_relinked(x):
    # "OCP" after 谷歌: adjacent, but not an abbreviation of Google
    zh = x.extract("谷歌 OCP 峰会上，微软展示了新的服务器。", "t", "zh")
    assert OCI not in {e.name for e in zh.entities}
