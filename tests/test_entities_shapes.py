"""General name shapes of the entity rules, one sentence each (taken from the real reports): programmes
launched by 实施 (…提升工程), industries in coordinated lists (A、B等未来产业链), …基地 under construction,
ranks of facility (省级…示范基地) and everyday-word industries as the sector of a statistic."""

from __future__ import annotations

import pytest

from kg.extract.candidates import candidates, choose
from kg.extract.lexicon import load_lexicon

# (sentence, expected (name, class) pairs among the chosen candidates, names that must not be chosen)
CASES = [
    ("实施优势传统产业升级工程", [("优势传统产业升级工程", "Project")], ["优势传统产业"]),
    ("实施特色产业提质工程", [("特色产业提质工程", "Project")], []),
    ("启动全国百强县培育工程", [("全国百强县培育工程", "Project")], []),
    ("开展产业基础再造工程，推进“千项技改”", [("产业基础再造工程", "Project")], []),
    ("实施知识产权创造和提升工程", [("知识产权创造和提升工程", "Project")], []),
    ("持续实施20项民生工程", [], ["20项民生工程"]),
    ("继续实施京津风沙源治理等重大生态工程", [], ["京津风沙源治理等重大生态工程"]),
    ("围绕大数据与物联网、生物医药健康等10个重点领域", [("大数据与物联网", "Industry"), ("生物医药健康", "Industry")],
     ["大数据"]),
    ("开展金融、政府债务、房地产等重点领域风险防范", [], ["政府债务"]),
    ("超前布局区块链、网络智能、量子通信等未来产业链", [("网络智能", "Industry"), ("量子通信", "Industry")], []),
    ("大力发展海洋工程装备、海洋生物制药等产业", [("海洋工程装备", "Industry")], ["发展海洋工程装备"]),
    ("加强钢铁、汽车等优势产能国际合作", [("汽车", "Industry"), ("钢铁", "Industry")], []),
    ("积极推动曹妃甸石化基地建设", [("曹妃甸石化基地", "Project")], ["曹妃甸"]),
    ("支持唐山、张家口等省级以上应急产业示范基地发展", [], ["应急产业示范基地"]),
    ("加快3家省级重大疫情救治基地建设", [], ["疫情救治基地"]),
    ("建设环渤海港口群", [("环渤海港口群", "Place")], []),
    ("加快自贸试验区和开发区建设", [("自贸试验区", "Place")], []),
    ("加快发展实体经济、城市经济", [], ["发展实体经济"]),
    ("服务业增加值增长8%", [("服务业", "Industry")], []),
    ("大力发展海洋牧场、远洋渔业和水产加工产业",
     [("海洋牧场", "Industry"), ("远洋渔业", "Industry"), ("水产加工产业", "Industry")], []),
    ("培育壮大光电子、高端医疗器械和航空航天等产业", [("光电子", "Industry"), ("高端医疗器械", "Industry")], []),
    ("推进产城融合和特色产业发展", [], ["产城融合"]),
    ("统筹推进容东、容西和雄安站枢纽等重点片区建设", [("容东", "Place"), ("容西", "Place")], []),
    # a broad sector is an Industry wherever a report names it (the issue-18 conventions; it was not before)
    ("加强服务业管理", [("服务业", "Industry")], []),
]


@pytest.mark.parametrize(("text", "expected", "absent"), CASES, ids=[c[0][:12] for c in CASES])
def test_name_shapes(text: str, expected: list[tuple[str, str]], absent: list[str]) -> None:
    kept, _ = choose(candidates(text, load_lexicon()))
    found = {(text[c.i:c.j], c.cls) for c in kept}
    for pair in expected:
        assert pair in found, found
    for name in absent:
        assert name not in {n for n, _ in found}, found
