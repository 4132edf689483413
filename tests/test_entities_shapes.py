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
    # issue 18, third round: one case per new shape
    ("在电力、石油、天然气、铁路、民航、电信、军工等领域迈出实质性步伐",
     [("电力", "Industry"), ("石油", "Industry"), ("军工", "Industry")], []),
    ("积极推动电力、石化、钢铁、建材、煤炭等高耗能行业", [("电力", "Industry"), ("石化", "Industry")], []),
    ("加快发展现代物流、信息服务、金融保险、研发设计、服务外包等生产性服务业",
     [("金融保险", "Industry")], ["发展现代物流"]),
    ("细化分解工业、房地产、基础设施等分领域投资目标", [], ["细化分解工业"]),
    ("建成一批概念验证、中试熟化、样品试制、检验检测等成果孵化平台", [], ["概念验证", "中试熟化"]),
    ("深化医疗、医保、医药联动改革", [("医疗、医保、医药联动改革", "Policy")], ["医药联动改革"]),
    ("抓好电力和石油天然气体制改革", [("电力和石油天然气体制改革", "Policy")], []),
    ("协同推进招商引资体制、园区运营模式改革", [("招商引资体制", "Policy")], []),
    ("深化基础性、关键性改革", [], ["基础性、关键性改革"]),
    ("鼓励非公有制企业参与国有企业改革", [("国有企业改革", "Policy")], []),
    ("支持武汉争创国家服务贸易创新发展示范区、国家数字贸易示范区",
     [("国家服务贸易创新发展示范区", "Goal"), ("国家数字贸易示范区", "Goal")], []),
    ("创建全国平安建设先进区和国家公共文化服务体系示范区",
     [("全国平安建设先进区", "Goal"), ("国家公共文化服务体系示范区", "Goal")], []),
    ("更好推动数字湖北建设", [("数字湖北", "Goal")], []),
    ("实施入境消费拓展行动", [("入境消费拓展行动", "Policy")], []),
    ("健全促进民营经济发展工作协调机制", [("促进民营经济发展工作协调机制", "Policy")], []),
    ("建立健全主体功能区制度和生态补偿机制", [], ["主体功能区制度和生态补偿机制"]),
    ("武汉多式联运服务中心", [("武汉多式联运服务中心", "Organization")], []),
    ("鼓励新型研发机构更好发挥创新策源与产业赋能作用", [], ["创新策源与产业"]),
    ("发展多层次资本市场", [], ["本市"]),
    ("统筹推进三大战略和“四大板块”发展", [("四大板块", "Policy")], []),
    ("深化“拨改投”“补转股”改革", [("拨改投", "Policy"), ("补转股", "Policy")], []),
    ("着力打通“最后一公里”", [], ["最后一公里"]),
    ("加快京沪高速、京石客运专线等17条铁路项目建设", [("京石客运专线", "Project"), ("京沪高速", "Project")], []),
    ("推行政府投资非经营性项目代建制", [("政府投资非经营性项目代建制", "Policy")], []),
    ("大力推进三峡水运新通道、沿江高铁宜涪段", [("沿江高铁宜涪段", "Project")], ["沿江高铁"]),
    ("完成第七次全国人口普查", [("第七次全国人口普查", "Event")], []),
    ("深入开展党史学习教育", [("党史学习教育", "Event")], []),
    ("深入开展群众性爱国卫生运动", [("爱国卫生运动", "Event")], ["群众性爱国卫生运动"]),
    ("深化科技研发项目评审、成果评奖“四评”改革", [("“四评”改革", "Policy")], []),
    # issue 18, fourth round: products listed as things to develop, without a typed head
    ("推动AI PC、AI手机、服务器、化合物半导体、功率器件上量发展",
     [("AI PC", "Industry"), ("AI手机", "Industry"), ("服务器", "Industry"), ("功率器件", "Industry")],
     ["功率器件上量发展"]),
    ("继续加强能源、重要原材料等基础产业和水利、交通、通信等基础设施建设",
     [("水利", "Industry"), ("交通", "Industry"), ("通信", "Industry")], []),
    ("积极发展林业、畜牧业和水产业", [("林业", "Industry"), ("畜牧业", "Industry"), ("水产业", "Industry")], []),
    ("积极开发新能源和可再生能源", [("新能源", "Industry"), ("可再生能源", "Industry")], []),
    ("前瞻布局具身智能、量子科技、6G、合成生物、氢能和核聚变能等未来产业",
     [("氢能", "Industry"), ("核聚变能", "Industry")], ["氢能和核聚变能"]),
    ("但对不良资产、债券违约、影子银行、互联网金融等累积风险要高度警惕", [], ["不良资产", "债券违约"]),
    ("继续加强轨道交通、民用和通用航空、电信基础设施等重大项目建设", [], ["民用"]),
    ("实施高新技术产业化工程和科技创新示范工程", [("科技创新示范工程", "Project")], []),
    ("积极稳妥地推进农村新民居工程建设，力争", [("农村新民居工程", "Project")], []),
    ("进一步壮大畜牧、蔬菜、果品三大优势产业", [], ["果品三大优势产业"]),
    ("持续支持金凤、嘉陵江、明月湖实验室发展", [("金凤", "Organization"), ("嘉陵江", "Organization"),
                                              ("明月湖实验室", "Organization")], []),
    ("增强重庆通用人工智能研究院、北航重庆科创中心（低空电磁安全）等新型研发机构产业支撑力",
     [("北航重庆科创中心（低空电磁安全）", "Project")], ["新型研发机构"]),
    ("支持赛力斯、长城等车企提质放量", [("赛力斯", "Organization"), ("长城", "Organization")], []),
    ("注重企业技术改造与企业改革结合", [], ["与企业改革"]),
    ("贯彻落实党的十七届三中全会精神", [("党的十七届三中全会", "Event")], []),
    ("打造低空经济创新发展强市", [("低空经济创新发展强市", "Goal")], []),
    # ninth round: one case per new shape or boundary
    ("全面落实中国—中亚峰会涉陕成果", [("中国—中亚峰会", "Event")], ["中亚峰会"]),
    ("高水平办好“浙BA”、城市足球联赛", [("浙BA", "Event"), ("城市足球联赛", "Event")], []),
    ("扩大餐饮住宿、家政服务、避暑旅居等服务消费", [("餐饮住宿", "Industry"), ("避暑旅居", "Industry")], []),
    ("办好汉中油菜花节、安康汉江龙舟节、陕北过大年等特色文旅活动", [("陕北过大年", "Event")], ["陕北"]),
    ("成功举办上合组织减贫论坛", [("上合组织减贫论坛", "Event")], ["减贫论坛"]),
    ("召开农牧民增收现场会", [("农牧民增收现场会", "Event")], []),
    ("加快建设创新要素集散地、创新成果转化地", [("创新要素集散地", "Goal"), ("创新成果转化地", "Goal")], []),
    ("加快建设国际旅游目的地", [("国际旅游目的地", "Goal")], []),
    ("迭代升级凤凰行动计划", [("凤凰行动计划", "Policy")], ["迭代升级凤凰行动计划"]),
    ("落实企业所得税政策", [("企业所得税政策", "Policy")], ["企业所得税"]),
    ("全国全部免征农业税", [("农业税", "Policy")], []),
    ("巩固扩大我省钢铁行业的优势", [("钢铁行业", "Industry")], []),
    ("淘汰钢铁行业落后产能", [("钢铁行业", "Industry")], ["淘汰钢铁行业"]),  # 淘汰 leads, as before an industry
    ("新增11个全国县域商业领跑县", [("全国县域商业领跑县", "Goal")], []),
    ("振兴装备制造业", [("装备制造业", "Industry")], ["振兴装备制造业"]),
    ("推动西安都市圈同城化发展", [], ["西安都市圈同城"]),
    ("建立政企常态化交流沟通、涉企问题督办协调闭环管理机制", [("涉企问题督办协调闭环管理机制", "Policy")],
     ["政企常态化交流沟通、涉企问题督办协调闭环管理机制"]),
    ("实施农村人居环境优化工程", [], ["化工"]),
    ("深入贯彻中央八项规定精神学习教育", [("深入贯彻中央八项规定精神学习教育", "Event")], []),
]


@pytest.mark.parametrize(("text", "expected", "absent"), CASES, ids=[c[0][:12] for c in CASES])
def test_name_shapes(text: str, expected: list[tuple[str, str]], absent: list[str]) -> None:
    kept, _ = choose(candidates(text, load_lexicon()))
    found = {(text[c.i:c.j], c.cls) for c in kept}
    for pair in expected:
        assert pair in found, found
    for name in absent:
        assert name not in {n for n, _ in found}, found


# a short item listed before a line or a laboratory is named with the suffix it shares (its key, from
# which its IRI is minted): 雄商 is 雄商高铁, 京唐 is 京唐城际, 金凤 is 金凤实验室
SHARED_KEYS = [
    ("开工建设雄商、雄忻高铁", {"雄商": "雄商高铁"}),
    ("推进京唐、石衡沧港城际等交通项目建设", {"京唐": "京唐城际"}),
    ("持续支持金凤、嘉陵江、明月湖实验室发展", {"金凤": "金凤实验室", "嘉陵江": "嘉陵江实验室"}),
]


@pytest.mark.parametrize(("text", "keys"), SHARED_KEYS, ids=[c[0][:8] for c in SHARED_KEYS])
def test_listed_items_are_named_with_the_shared_suffix(text: str, keys: dict[str, str]) -> None:
    kept, _ = choose(candidates(text, load_lexicon()))
    found = {text[c.i:c.j]: c.key for c in kept}
    for item, key in keys.items():
        assert found.get(item) == key, found
