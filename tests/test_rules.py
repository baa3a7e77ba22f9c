"""Rule and gazetteer components on small snippets written like report prose."""

import pytest

from kg.extract.pipeline import load_pipeline


def _entities(text: str) -> set[tuple[str, str]]:
    return {(c.label, c.name) for c in load_pipeline()(text)._.kg_entities}


def _names(found: set[tuple[str, str]], label: str) -> set[str]:
    return {n for t, n in found if t == label}


def test_known_company_short_names_are_found_where_they_stand_as_words():
    found = _entities("推动中石化、国家电网加大在本地投资。全国能源消费总量增长。")
    assert {("Enterprise", "中石化"), ("Enterprise", "国家电网")} <= found
    assert not any(name == "国能" for _, name in found)  # inside 全国|能源


def test_a_known_company_is_kept_beside_the_project_named_after_it():
    found = _entities("比亚迪二期建成投产，宁德时代洛阳基地开工建设。")
    assert {("Enterprise", "比亚迪"), ("Enterprise", "宁德时代")} <= found


@pytest.mark.parametrize(
    "text",
    [
        "依法平等保护民营企业产权和企业家权益。",  # 等 inside the word 平等
        "持续提升计量、标准、检测、认证等服务企业的能力。",  # 等 + a verb phrase
        "推动行业协会商会、产业联盟、专业机构等与企业深入对接。",
        "健全瞪羚企业、高新技术企业、科技型中小企业等优质企业梯度培育体系。",
    ],
)
def test_lists_that_name_no_company_give_no_enterprise(text):
    assert not any(label == "Enterprise" for label, _ in _entities(text))


def test_the_items_of_a_list_closed_by_a_company_noun_are_enterprises():
    found = _entities("牧原、宇通、华兰等一批龙头企业向强而跃。")
    assert {("Enterprise", n) for n in ("牧原", "宇通", "华兰")} <= found


def test_merge_drops_a_zone_whose_name_ends_in_no_zone_head_noun():
    from kg.extract.components import Candidate

    nlp = load_pipeline()
    text = "深入贯彻中央八项规定精神，常州高新区获批。"
    doc = nlp.make_doc(text)
    doc._.kg_candidates = [
        Candidate(4, 12, "Zone", "中央八项规定精神", "kg_ner"),
        Candidate(13, 18, "Zone", "常州高新区", "kg_ner"),
    ]
    names = {c.name for c in nlp.get_pipe("kg_merge")(doc)._.kg_entities}
    assert names == {"常州高新区"}


def test_a_zone_name_starts_after_the_verb_and_ranks_before_it():
    found = _entities("制定合肥滨湖科学城建设方案，常州经开区获评省级开发区。")
    zones = {name for label, name in found if label == "Zone"}
    assert "合肥滨湖科学城" in zones
    assert not any(z.startswith(("制定", "常州经开区省级")) for z in zones)


def test_kinds_of_parks_are_not_zones():
    found = _entities("创建首批国家级零碳园区，建设一批县域产业园区。")
    assert not any(label == "Zone" for label, _ in found)


def test_zone_names_with_newer_head_nouns():
    found = _entities("推进巴彦淖尔农高区建设，提升宝坻中关村科技城能级。")
    assert {("Zone", "巴彦淖尔农高区"), ("Zone", "宝坻中关村科技城")} <= found


def test_kinds_of_hospitals_and_schools_are_not_organizations_and_named_ones_are():
    found = _entities(
        "新建三级公立综合医院，办好寄宿制学校和职业本科大学，支持四川大学华西医院发展。"
    )
    orgs = {name for label, name in found if label == "Organization"}
    assert not {o for o in orgs if o.endswith(("医院", "学校", "大学")) and "四川" not in o}
    assert "四川大学华西医院" in orgs


def test_groups_and_banks_are_enterprises_and_their_kinds_are_not():
    found = _entities("支持中原银行、河南农商银行。魏桥集团转型升级。组建义务教育集团。")
    ents = {name for label, name in found if label == "Enterprise"}
    assert {"中原银行", "河南农商银行", "魏桥集团"} <= ents
    assert "义务教育集团" not in ents


def test_a_project_named_after_a_site_names_no_company():
    found = _entities("推进海阳核电二期建设，恒力重工二期建成投产。")
    assert {("Project", "海阳核电二期"), ("Project", "恒力重工二期")} <= found
    assert ("Enterprise", "恒力重工") in found
    assert ("Enterprise", "海阳核电") not in found


def test_works_named_by_their_kind_are_not_projects():
    found = _entities("加固病险水库12座，建成通用机场3个，扩建老岚水库。")
    projects = {name for label, name in found if label == "Project"}
    assert "老岚水库" in projects
    assert not projects & {"病险水库", "通用机场", "扩建老岚水库"}


def test_a_pilot_zone_is_named_only_after_a_place():
    found = _entities("铜川普惠金融改革试验区获批。创建国家全域旅游示范区。")
    zones = {name for label, name in found if label == "Zone"}
    assert "铜川普惠金融改革试验区" in zones
    assert "国家全域旅游示范区" not in zones


def test_a_known_short_name_that_begins_a_longer_company_name_is_not_emitted():
    ents = {n for label, n in _entities("中国能建集团在当地投资。") if label == "Enterprise"}
    assert ents == {"中国能建集团"}


def test_merge_drops_organizations_and_events_that_end_in_no_head_character():
    from kg.extract.components import Candidate

    nlp = load_pipeline()
    text = "江苏省产业技术研究院打造平台，常州马拉松万人开跑。"
    doc = nlp.make_doc(text)
    doc._.kg_candidates = [
        Candidate(0, 12, "Organization", "江苏省产业技术研究院打造", "kg_ner"),
        Candidate(15, 24, "Event", "常州马拉松万人开跑", "kg_ner"),
        Candidate(15, 20, "Event", "常州马拉松", "kg_ner"),
    ]
    names = {c.name for c in nlp.get_pipe("kg_merge")(doc)._.kg_entities}
    assert names == {"常州马拉松"}


def test_merge_drops_a_project_run_on_into_the_predicate():
    from kg.extract.components import Candidate

    nlp = load_pipeline()
    text = "践行绿水青山就是金山银山理念，大运河马拉松万人热力开跑。"
    doc = nlp.make_doc(text)
    doc._.kg_candidates = [
        Candidate(8, 14, "Project", "金山银山理念", "kg_ner"),
        Candidate(15, 27, "Project", "大运河马拉松万人热力开跑", "kg_ner"),
    ]
    assert not nlp.get_pipe("kg_merge")(doc)._.kg_entities


def test_works_named_after_a_place_are_projects_and_kinds_of_works_are_not():
    found = _entities("建成黄浦江挡潮闸工程。实施城市更新工程。")
    projects = {name for label, name in found if label == "Project"}
    assert "黄浦江挡潮闸工程" in projects
    assert "城市更新工程" not in projects


def test_gazetteer_places_are_whole_words_not_pieces_of_other_words():
    found = _entities("确保城镇新增就业稳定，发展乡村特色产业。新北区孟河镇建成新市民中心。")
    places = {name for label, name in found if label == "Place"}
    assert {"新北区", "孟河镇"} <= places
    assert not places & {"保城镇", "发展乡"}  # 确保|城镇, 发展|乡村


def test_suffix_names_end_on_a_word_and_leave_a_leading_verb_out():
    found = _entities("新增普通高中学位2万个。筹设深圳海洋大学，用好大湾区国家技术创新中心。")
    orgs = {name for label, name in found if label == "Organization"}
    assert not any(name.endswith("高中学") for name in orgs)  # 高中|学位
    assert "深圳海洋大学" in orgs and "筹设深圳海洋大学" not in orgs
    assert "用好大湾区国家技术创新中心" not in orgs
    zones = {n for t, n in _entities("19个项目落地沪明临港产业园、广龙合作产业园。") if t == "Zone"}
    assert "沪明临港产业园" in zones and not any(n.startswith("项目") for n in zones)


def test_a_tally_of_works_and_a_kind_of_works_are_no_names():
    run_on = load_pipeline().get_pipe("kg_ner").clause_break  # what the NER may not hold
    assert run_on.search("德令哈4个抽水蓄能电站") and run_on.search("天合光能销售突破600亿元")
    assert not run_on.search("四个全覆盖") and not run_on.search("轨道交通2号线")
    found = _entities("开工建设德令哈4个抽水蓄能电站，“一主七辅”民用机场格局基本形成。")
    assert not any("4个" in name for _, name in found)
    assert ("Project", "民用机场") not in found


def test_a_bare_company_ending_inside_a_project_name_is_no_company():
    found = _entities("红狮硅基新材料一期、亚太轻合金绿电高端铝基材料一期建成投产。")
    assert ("Enterprise", "材料") not in found and ("Enterprise", "新材料") not in found


def test_a_place_in_brackets_stays_inside_a_zone_name():
    found = _entities("高水平建设中国(安徽)自贸试验区，打造中欧(常州)国际合作园区。")
    zones = {name for label, name in found if label == "Zone"}
    assert {"中国(安徽)自贸试验区", "中欧(常州)国际合作园区"} <= zones


def test_merge_keeps_a_project_named_by_its_company_and_product_whatever_it_ends_in():
    from kg.extract.components import Candidate

    nlp = load_pipeline()
    text = "加快推进比亚迪新能源商用车、智能网联汽车等项目。"
    doc = nlp.make_doc(text)
    doc._.kg_candidates = [
        Candidate(4, 7, "Enterprise", "比亚迪", "kg_enterprise_names", True),
        Candidate(4, 13, "Project", "比亚迪新能源商用车", "kg_ner"),
        Candidate(14, 20, "Project", "智能网联汽车", "kg_ner"),
    ]
    names = {(c.label, c.name) for c in nlp.get_pipe("kg_merge")(doc)._.kg_entities}
    assert names == {("Enterprise", "比亚迪"), ("Project", "比亚迪新能源商用车")}


def test_the_model_places_kept_are_gazetteer_names_listed_features_and_villages():
    ner = load_pipeline().get_pipe("kg_ner")
    for known in ("宁乡", "合川区", "渭河", "德国", "长三角", "民主村", "奔牛镇中街社区"):
        assert ner._known_place(known), known
    for unknown in ("雪豹", "甘宁", "香蕉", "村"):  # the model's places that were no places
        assert not ner._known_place(unknown), unknown


def test_a_quoted_code_takes_a_naming_head_but_not_the_activity_done_with_it():
    found = _entities("深入实施“四敢”行动，推进“双一流”建设，落实“两新”政策。")
    programmes = {name for label, name in found if label == "Programme"}
    assert {"四敢行动", "双一流", "两新"} <= programmes
    assert not programmes & {"双一流建设", "两新政策"}  # 建设 and 政策 say what is done with it


def test_named_venues_and_plants_are_projects_and_their_kinds_are_not():
    found = _entities("秦岭博物馆建成开放，府谷电厂二期开工，新建抽水蓄能电站，改造大中型灌区。")
    projects = {name for label, name in found if label == "Project"}
    assert "秦岭博物馆" in projects
    assert not projects & {"抽水蓄能电站", "大中型灌区"}
    assert ("Organization", "秦岭博物馆") not in found


def test_a_pilot_zone_may_begin_with_a_broad_region_or_a_partner_country():
    found = _entities("建设中非经贸深度合作先行区，推进苏南国家自主创新示范区建设。")
    zones = {name for label, name in found if label == "Zone"}
    assert {"中非经贸深度合作先行区", "苏南国家自主创新示范区"} <= zones


def test_words_that_are_also_division_names_are_no_places_and_a_merger_verb_no_name():
    found = _entities("重组组建省工业控股集团。分类引导县城和小城镇发展。坚持以实效惠民生。")
    assert ("Enterprise", "省工业控股集团") in found
    assert not {name for label, name in found if label == "Place"} & {"小城镇", "惠民"}


def test_an_organization_name_starts_after_the_verb_that_sets_it_up():
    found = _entities("争建国家脑机接口技术创新中心，挂牌重庆大学智能汽车技术学院，办好中小学。")
    orgs = {name for label, name in found if label == "Organization"}
    assert orgs == {"国家脑机接口技术创新中心", "重庆大学智能汽车技术学院"}  # 中小学: a kind


def test_an_unquoted_programme_is_bounded_by_the_verb_that_launches_it_and_its_head():
    found = _entities(
        "深入实施新时代立德树人工程，实施好城市更新行动和固体废物综合治理行动。"
        "开展打击电诈等违法犯罪专项行动，实施提升行动，推进老旧管网改造工程建设。"
    )
    programmes = _names(found, "Programme")
    assert {"新时代立德树人工程", "城市更新行动"} <= programmes
    assert not {"打击电诈等违法犯罪专项行动", "提升行动", "老旧管网改造工程"} & programmes


def test_a_programme_joined_to_a_cued_one_is_cued_and_a_new_round_is_not_its_name():
    found = _entities(
        "实施新一轮空气质量持续改善行动，深入实施康复护理扩容提升工程和基础教育理科强化专项行动。"
    )
    assert {
        ("Programme", "空气质量持续改善行动"),
        ("Programme", "康复护理扩容提升工程"),
        ("Programme", "基础教育理科强化专项行动"),
    } <= found


def test_national_bodies_and_a_regional_congress_are_organizations_whole():
    found = _entities(
        "在广西壮族自治区第十四届人民代表大会第五次会议上。教育部、工信部支持，"
        "中科院金属研究所和国务院发展研究中心合作，联合国教科文组织授牌。"
    )
    assert {
        ("Organization", "广西壮族自治区第十四届人民代表大会"),
        ("Organization", "教育部"),
        ("Organization", "国务院发展研究中心"),
        ("Organization", "联合国教科文组织"),
        ("Organization", "中科院金属研究所"),
    } <= found
    names = {n for _, n in found}
    assert "国务院" not in names  # inside a listed name, 国务院发展研究中心, which holds its span
    assert ("Enterprise", "联合国教科文组织") not in found


def test_the_items_of_a_list_closed_by_a_project_noun_are_projects():
    found = _entities("推进古贤水利枢纽、蒋家窑则水库、环北部湾广东水资源配置一期等项目建设。")
    assert {
        ("Project", "古贤水利枢纽"),
        ("Project", "蒋家窑则水库"),
        ("Project", "环北部湾广东水资源配置一期"),
    } <= found


def test_a_regions_party_committee_is_an_organization_not_a_programme():
    found = _entities("在中共安徽省委坚强领导下，中国共产党广西壮族自治区委员会部署。")
    assert {
        ("Organization", "中共安徽省委"),
        ("Organization", "中国共产党广西壮族自治区委员会"),
    } <= found
    assert not any(label == "Programme" for label, _ in found)


def test_a_zone_named_after_two_partners_joined_by_a_dash_is_one_name():
    found = _entities("加快中国—东盟产业合作区建设，建设天津滨海—中关村科技园。")
    assert {("Zone", "中国—东盟产业合作区"), ("Zone", "天津滨海—中关村科技园")} <= found


def test_innovation_valleys_and_cities_named_by_their_brand_are_zones():
    found = _entities("建设中原农谷，打造中国光谷，推动南大智慧城、湾区科创城开发提速。")
    assert {("Zone", "中原农谷"), ("Zone", "中国光谷"), ("Zone", "湾区科创城")} <= found


def test_an_event_name_starts_at_its_edition_unless_places_stand_before_it():
    found = _entities("协助办好第十五届东坡文化节，举办新北区第五届职业技能竞赛和首届龙城马拉松。")
    assert {("Event", "第十五届东坡文化节"), ("Event", "首届龙城马拉松")} <= found
    assert not {n for t, n in found if t == "Event" and n.startswith("协助")}


def test_works_named_by_the_stage_they_reached_are_projects_and_kinds_of_works_are_not():
    found = _entities(
        "沈白高铁、G331通车，瓦石峡水库建成投用，力争晋北采煤沉陷区新能源基地投产，"
        "一批外资项目建成投产，自治区重大项目开工，期盼多年的重大项目开工建设，总部经济项目签约。"
    )
    projects = _names(found, "Project")
    assert {"沈白高铁", "瓦石峡水库", "晋北采煤沉陷区新能源基地"} <= projects
    kinds = {"外资项目", "自治区重大项目", "重大项目", "期盼多年的重大项目", "总部经济项目"}
    assert not projects & kinds


def test_corridors_clusters_and_free_trade_ports_after_a_place_are_zones():
    found = _entities("共建长三角G60科创走廊，打造海南自由贸易港，推进郑州航空港区产业集聚区建设。")
    zones = _names(found, "Zone")
    assert {"长三角G60科创走廊", "海南自由贸易港", "郑州航空港区产业集聚区"} <= zones
    assert not _entities("推动高端产业集聚区建设。") & {("Zone", "高端产业集聚区")}  # no place


def test_congresses_leagues_and_fairs_are_events_and_the_session_addressed_is_not():
    found = _entities(
        "举办世界制造业大会，筹办中国侨商投资大会和城市足球联赛，现提请本次大会审议。"
        "召开江苏省第十四届人民代表大会第三次会议。"
    )
    events = _names(found, "Event")
    assert {"世界制造业大会", "中国侨商投资大会"} <= events
    assert not {n for n in events if "本次" in n or n.startswith(("筹办", "提请"))}
    assert "江苏省第十四届人民代表大会" not in events  # a congress is an Organization


def test_a_regions_government_and_an_exchange_after_a_place_are_organizations():
    found = _entities("浙江省人民政府与上海证券交易所签署协议，省人民政府办公厅印发通知。")
    orgs = _names(found, "Organization")
    assert {"浙江省人民政府", "上海证券交易所"} <= orgs


def test_a_kind_of_bank_is_no_company_and_a_place_does_not_run_on_into_its_honour():
    found = _entities(
        "支持股份制银行设立分支机构。南平、龙岩入选全国居家和社区基本养老服务提升行动试点。"
    )
    assert not {n for t, n in found if n in ("股份制银行", "龙岩入选")}
    assert {("Place", "南平"), ("Place", "龙岩")} <= found


def test_the_work_inside_a_phase_section_or_extension_is_a_project_of_its_own():
    found = _entities(
        "广州白云机场三期、深圳宝安机场第三跑道建成投用。加快建设沪渝蓉高铁上海段，"
        "推进材料一期建设。"
    )
    projects = _names(found, "Project")
    assert {"广州白云机场三期", "广州白云机场", "深圳宝安机场"} <= projects
    assert "沪渝蓉高铁" in projects
    assert "材料" not in projects  # a stem ending in no kind of works is no work


def test_a_count_of_editions_held_and_a_verb_split_at_the_edge_are_no_part_of_an_event():
    found = _entities(
        "成功举办2届亚欧博览会、3届商博会，与22个国家合作。承办好2026智慧农业博览会、中德农业周。"
    )
    events = _names(found, "Event")
    assert {"亚欧博览会", "商博会", "2026智慧农业博览会"} <= events
    assert not any(n[0] in "23好" and n != "2026智慧农业博览会" for n in events)
    assert ("Event", "第12届亚欧博览会") in _entities("成功举办第12届亚欧博览会。")


def test_a_programme_after_two_launching_verbs_starts_after_the_second():
    found = _entities(
        "制定实施教育强市行动计划，落实学前一年免费教育。深化实施全球营运商计划，吸引总部。"
    )
    programmes = _names(found, "Programme")
    assert {"教育强市行动计划", "全球营运商计划"} <= programmes
    assert not any(n.startswith("实施") for n in programmes)


def test_a_listed_body_that_begins_a_longer_organization_name_is_a_name_as_well():
    found = _entities("推动教育部宁夏高等研究院实体化运行。支持中科院金属研究所建设。")
    orgs = _names(found, "Organization")
    assert {"教育部宁夏高等研究院", "教育部", "中科院金属研究所", "中科院"} <= orgs


def test_the_items_of_a_list_closed_by_a_count_of_railways_or_highways_are_projects():
    found = _entities(
        "加快邵永、铜吉、长赣、宜常、永清广、黔吉等6条高铁建设，桑龙、醴娄等7条高速公路建成。"
    )
    projects = _names(found, "Project")
    assert {"邵永", "长赣", "宜常", "永清广", "黔吉", "桑龙", "醴娄"} <= projects
    assert not _entities("推进高质量发展等高速增长。")  # 等 closes no list here


def test_a_quoted_date_or_road_number_is_no_programme_code():
    found = _entities(
        "海河“23·7”流域性特大洪水，“5.30”火灾事故，建设“00”号低碳旅游公路，实施“1115”工程。"
    )
    programmes = _names(found, "Programme")
    assert "1115" in programmes
    assert not {"23·7", "5.30", "00"} & programmes
