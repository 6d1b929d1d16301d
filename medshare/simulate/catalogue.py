"""The fixed world of the simulated platform: institutions, diagnoses, the 医保目录 and Shanghai roads.

Names are realistic-sounding but the institutions are fictional; codes follow the national
interface's code systems (:mod:`contracts.formats`, docs/platform-interface.md): institutions
``H31…`` (定点医疗机构) and ``P31…`` (定点零售药店), ICD-10 医保版 diagnoses (with ``x`` extension
codes in :data:`CHS_VARIANTS`), national drug codes (西药 ``X…``, 中成药 ``Z…``), 15-digit medical
service codes and 20-character consumable codes ``C…``. Each item also has the institution's own
code (``local_code``, the interface's ``medins_list_codg``). Prices are 元 per unit, kept in integer
分 (``price_fen``) so amounts add up exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contracts.formats import SHANGHAI_DISTRICTS

# --- designated medical institutions (定点医疗机构) --------------------------------------------


@dataclass(frozen=True)
class Institution:
    code: str
    name: str
    district_code: str
    #: 3 三级, 2 二级, 1 社区卫生服务中心
    level: int
    #: ``general``, ``community``, ``cancer``, ``psych``, ``women_children``, ``pharmacy``
    kind: str = "general"

    @property
    def is_pharmacy(self) -> bool:
        return self.code.startswith("P")


def _inst(region: str, serial: int, name: str, level: int, kind: str = "general") -> Institution:
    return Institution(f"H{region}{serial:05d}", name, region, level, kind)


INSTITUTIONS: tuple[Institution, ...] = (
    _inst("310101", 10021, "上海市申江第一人民医院", 3),
    _inst("310101", 20113, "上海市黄浦区外滩中心医院", 2),
    _inst("310101", 30457, "黄浦区豫园街道社区卫生服务中心", 1, "community"),
    _inst("310104", 10035, "上海交通医学院附属瑞光医院", 3),
    _inst("310104", 10078, "上海市肿瘤防治中心", 3, "cancer"),
    _inst("310104", 30212, "徐汇区枫林街道社区卫生服务中心", 1, "community"),
    _inst("310105", 20087, "上海市长宁区天山中心医院", 2),
    _inst("310105", 30341, "长宁区仙霞街道社区卫生服务中心", 1, "community"),
    _inst("310106", 10052, "上海市静安华山医院", 3),
    _inst("310106", 30175, "静安区彭浦新村街道社区卫生服务中心", 1, "community"),
    _inst("310107", 20064, "上海市普陀区利群中心医院", 2),
    _inst("310107", 30288, "普陀区长风街道社区卫生服务中心", 1, "community"),
    _inst("310109", 10093, "上海市虹口第四人民医院", 3),
    _inst("310110", 10047, "上海市杨浦新华医院", 3),
    _inst("310110", 20141, "上海市杨浦区控江医院", 2),
    _inst("310110", 30226, "杨浦区殷行街道社区卫生服务中心", 1, "community"),
    _inst("310112", 10066, "上海市闵行中心医院", 3),
    _inst("310112", 30319, "闵行区古美社区卫生服务中心", 1, "community"),
    _inst("310113", 20058, "上海市宝山区吴淞中心医院", 2),
    _inst("310114", 20073, "上海市嘉定区中心医院", 2),
    _inst("310115", 10011, "上海市东方仁济医院", 3),
    _inst("310115", 10089, "上海市浦东精神卫生中心", 3, "psych"),
    _inst("310115", 10124, "上海市浦东国际妇婴医院", 3, "women_children"),
    _inst("310115", 20096, "上海市浦东新区周浦医院", 2),
    _inst("310115", 30402, "浦东新区潍坊社区卫生服务中心", 1, "community"),
    _inst("310116", 20031, "上海市金山区亭林医院", 2),
    _inst("310117", 10105, "上海市松江中心医院", 3),
    _inst("310118", 20049, "上海市青浦区中山医院", 2),
    _inst("310120", 20082, "上海市奉贤区南桥医院", 2),
    _inst("310151", 20017, "上海市崇明区堡镇人民医院", 2),
)

#: 定点零售药店 (designated retail pharmacies): ``P`` + region + 5 digits; level 0 (not a hospital)
PHARMACIES: tuple[Institution, ...] = tuple(
    Institution(f"P{region}{serial:05d}", name, region, 0, "pharmacy") for region, serial, name in (
        ("310101", 40155, "上海市黄浦区雷允上大药房南京东路店"),
        ("310104", 40155, "上海市徐汇区华氏大药房漕溪北路店"),
        ("310105", 40217, "上海市长宁区第一医药商店天山店"),
        ("310106", 40093, "上海市静安区益丰大药房共和新路店"),
        ("310110", 40381, "上海市杨浦区童涵春堂控江路店"),
        ("310112", 40246, "上海市闵行区老百姓大药房莘庄店"),
        ("310115", 40158, "上海市浦东新区国大药房张杨路店"),
        ("310115", 40422, "上海市浦东新区养和堂川沙路店"),
        ("310117", 40064, "上海市松江区华氏大药房人民北路店"),
        ("310120", 40077, "上海市奉贤区一丹大药房南桥店"),
    )
)

INSTITUTIONS_BY_CODE = {i.code: i for i in INSTITUTIONS}
#: hospitals and pharmacies: every ``fixmedins_code`` the simulator writes
FIXMEDINS_BY_CODE = {i.code: i for i in (*INSTITUTIONS, *PHARMACIES)}

# --- departments, by clinical area ---------------------------------------------------------
DEPARTMENTS: dict[str, str] = {
    "resp": "呼吸内科",
    "gi": "消化内科",
    "cv": "心血管内科",
    "dm": "内分泌科",
    "endo": "内分泌科",
    "renal": "肾脏内科",
    "onc": "肿瘤内科",
    "psych": "精神科",
    "neuro": "神经内科",
    "msk": "骨科",
    "ortho": "骨科",
    "eye": "眼科",
    "derm": "皮肤科",
    "uro": "泌尿外科",
    "obst": "产科",
    "gyn": "妇科",
    "surg": "普外科",
    "liver": "感染科",
    "allergy": "耳鼻喉科",
    "general": "全科医学科",
    "dental": "口腔科",
    "heme": "血液科",
}

# --- ICD-10 diagnoses (医保版 codes) --------------------------------------------------------


@dataclass(frozen=True)
class Diagnosis:
    code: str
    name: str
    #: ``acute`` (outpatient), ``chronic``, ``cancer``, ``inpatient`` (needs a stay)
    kind: str
    #: clinical area: department, drug pool, note wording
    tag: str
    sex: str | None = None
    min_age: int = 0
    #: length of stay range (days) when admitted
    los: tuple[int, int] = (3, 10)
    #: services and devices of the operation, if the stay has one
    procedure: tuple[str, ...] = ()
    devices: tuple[str, ...] = ()
    #: eligible for 门诊慢特病 (visit type 14)
    special_outpatient: bool = False


DIAGNOSES: tuple[Diagnosis, ...] = (
    # common outpatient
    Diagnosis("J06.900", "急性上呼吸道感染", "acute", "resp"),
    Diagnosis("J02.900", "急性咽炎", "acute", "resp"),
    Diagnosis("J20.900", "急性支气管炎", "acute", "resp"),
    Diagnosis("B34.900", "病毒感染", "acute", "resp"),
    Diagnosis("R50.900", "发热", "acute", "resp"),
    Diagnosis("J30.400", "过敏性鼻炎", "acute", "allergy"),
    Diagnosis("K29.700", "慢性胃炎", "acute", "gi"),
    Diagnosis("K30.x00", "功能性消化不良", "acute", "gi"),
    Diagnosis("A09.900", "急性胃肠炎", "acute", "gi"),
    Diagnosis("K21.900", "胃食管反流病", "acute", "gi"),
    Diagnosis("M54.500", "腰痛", "acute", "msk", min_age=18),
    Diagnosis("M17.900", "膝关节骨关节炎", "acute", "msk", min_age=40),
    Diagnosis("M47.800", "颈椎病", "acute", "msk", min_age=25),
    Diagnosis("S93.400", "踝关节扭伤", "acute", "msk"),
    Diagnosis("L20.900", "特应性皮炎", "acute", "derm"),
    Diagnosis("L30.900", "皮炎", "acute", "derm"),
    Diagnosis("H10.900", "结膜炎", "acute", "eye"),
    Diagnosis("H52.100", "近视", "acute", "eye"),
    Diagnosis("K02.900", "龋病", "acute", "dental"),
    Diagnosis("N39.000", "泌尿道感染", "acute", "uro"),
    Diagnosis("R51.x00", "头痛", "acute", "neuro"),
    Diagnosis("G47.000", "失眠", "acute", "neuro", min_age=18),
    Diagnosis("F41.100", "广泛性焦虑障碍", "acute", "psych", min_age=16),
    Diagnosis("E78.500", "高脂血症", "acute", "cv", min_age=30),
    # chronic (门诊慢特病 where Shanghai lists them)
    Diagnosis("I10.x00", "原发性高血压", "chronic", "cv", min_age=30),
    Diagnosis("E11.900", "2型糖尿病", "chronic", "dm", min_age=30),
    Diagnosis("E11.200", "2型糖尿病性肾病", "chronic", "dm", min_age=40, special_outpatient=True),
    Diagnosis("I25.100", "动脉粥样硬化性心脏病", "chronic", "cv", min_age=45),
    Diagnosis("I48.x00", "心房颤动", "chronic", "cv", min_age=50),
    Diagnosis("I50.900", "心力衰竭", "chronic", "cv", min_age=55),
    Diagnosis("J44.900", "慢性阻塞性肺疾病", "chronic", "resp", min_age=45),
    Diagnosis("J45.900", "支气管哮喘", "chronic", "resp"),
    Diagnosis("N18.500", "慢性肾脏病5期", "chronic", "renal", min_age=30, special_outpatient=True),
    Diagnosis("M81.900", "骨质疏松", "chronic", "msk", min_age=50),
    Diagnosis("E03.900", "甲状腺功能减退症", "chronic", "endo", min_age=18),
    Diagnosis("B18.100", "慢性乙型病毒性肝炎", "chronic", "liver", min_age=18),
    Diagnosis("K74.600", "肝硬化", "chronic", "liver", min_age=40),
    Diagnosis("F20.900", "精神分裂症", "chronic", "psych", min_age=16, special_outpatient=True),
    Diagnosis("F32.900", "抑郁发作", "chronic", "psych", min_age=14),
    Diagnosis("G20.x00", "帕金森病", "chronic", "neuro", min_age=55),
    Diagnosis("G40.900", "癫痫", "chronic", "neuro"),
    Diagnosis("M05.900", "类风湿关节炎", "chronic", "msk", min_age=25),
    Diagnosis("D61.900", "再生障碍性贫血", "chronic", "heme", special_outpatient=True),
    # cancer (恶性肿瘤门诊治疗 is a 门特 item)
    Diagnosis("C34.900", "支气管或肺恶性肿瘤", "cancer", "onc", min_age=35, los=(5, 14),
              special_outpatient=True),
    Diagnosis("C50.900", "乳房恶性肿瘤", "cancer", "onc", sex="F", min_age=30, los=(4, 10),
              special_outpatient=True),
    Diagnosis("C16.900", "胃恶性肿瘤", "cancer", "onc", min_age=35, los=(7, 16), special_outpatient=True),
    Diagnosis("C18.900", "结肠恶性肿瘤", "cancer", "onc", min_age=35, los=(7, 15), special_outpatient=True),
    Diagnosis("C20.x00", "直肠恶性肿瘤", "cancer", "onc", min_age=35, los=(7, 15), special_outpatient=True),
    Diagnosis("C22.000", "肝细胞癌", "cancer", "onc", min_age=35, los=(6, 14), special_outpatient=True),
    Diagnosis("C25.900", "胰腺恶性肿瘤", "cancer", "onc", min_age=45, los=(7, 18), special_outpatient=True),
    Diagnosis("C61.x00", "前列腺恶性肿瘤", "cancer", "onc", sex="M", min_age=50, los=(5, 12),
              special_outpatient=True),
    Diagnosis("C73.x00", "甲状腺恶性肿瘤", "cancer", "onc", min_age=20, los=(3, 7), special_outpatient=True),
    Diagnosis("C53.900", "宫颈恶性肿瘤", "cancer", "onc", sex="F", min_age=25, los=(5, 12),
              special_outpatient=True),
    Diagnosis("C56.x00", "卵巢恶性肿瘤", "cancer", "onc", sex="F", min_age=30, los=(6, 14),
              special_outpatient=True),
    Diagnosis("C15.900", "食管恶性肿瘤", "cancer", "onc", min_age=45, los=(7, 16), special_outpatient=True),
    Diagnosis("C83.300", "弥漫大B细胞淋巴瘤", "cancer", "heme", min_age=18, los=(6, 20),
              special_outpatient=True),
    Diagnosis("C90.000", "多发性骨髓瘤", "cancer", "heme", min_age=40, los=(6, 18), special_outpatient=True),
    Diagnosis("C92.000", "急性髓样白血病", "cancer", "heme", los=(14, 30), special_outpatient=True),
    # conditions that need a stay
    Diagnosis("J18.900", "肺炎", "inpatient", "resp", los=(5, 12)),
    Diagnosis("K35.800", "急性阑尾炎", "inpatient", "surg", los=(3, 7),
              procedure=("331003010", "330100005"), devices=("C0301",)),
    Diagnosis("K80.200", "胆囊结石", "inpatient", "surg", min_age=20, los=(3, 7),
              procedure=("331005008", "330100005"), devices=("C0302", "C0301")),
    Diagnosis("K40.900", "腹股沟疝", "inpatient", "surg", los=(2, 5),
              procedure=("331008012", "330100005"), devices=("C0303",)),
    Diagnosis("K56.700", "肠梗阻", "inpatient", "surg", los=(5, 14)),
    Diagnosis("H25.900", "老年性白内障", "inpatient", "eye", min_age=55, los=(1, 3),
              procedure=("330603021", "330100003"), devices=("C0401",)),
    Diagnosis("S72.000", "股骨颈骨折", "inpatient", "ortho", min_age=50, los=(8, 20),
              procedure=("331508013", "330100005"), devices=("C0501", "C0502")),
    Diagnosis("M16.900", "髋关节骨关节炎", "inpatient", "ortho", min_age=55, los=(8, 16),
              procedure=("331508013", "330100005"), devices=("C0501",)),
    Diagnosis("I21.900", "急性心肌梗死", "inpatient", "cv", min_age=40, los=(6, 14),
              procedure=("320600005",), devices=("C0201", "C0202")),
    Diagnosis("I63.900", "脑梗死", "inpatient", "neuro", min_age=45, los=(8, 20)),
    Diagnosis("N20.000", "肾结石", "inpatient", "uro", min_age=20, los=(2, 6),
              procedure=("311000021", "330100003"), devices=("C0601",)),
    Diagnosis("N40.x00", "前列腺增生", "inpatient", "uro", sex="M", min_age=55, los=(4, 9),
              procedure=("331102009", "330100005"), devices=("C0601",)),
    Diagnosis("O80.000", "单胎顺产", "inpatient", "obst", sex="F", min_age=20, los=(2, 4),
              procedure=("331202003",)),
    Diagnosis("D25.900", "子宫平滑肌瘤", "inpatient", "gyn", sex="F", min_age=30, los=(4, 8),
              procedure=("331303002", "330100005"), devices=("C0302",)),
)

DIAGNOSES_BY_CODE = {d.code: d for d in DIAGNOSES}

#: ICD-10 医保版 2.0 extension codes (``x`` + 3 digits) a diagnosis is written with on a settlement
#: (diseinfo.diag_code); the catalogue code stays the person's condition (prefix rules still match)
CHS_VARIANTS: dict[str, tuple[tuple[str, str], ...]] = {
    "I10.x00": (("I10.x00x002", "高血压1级"), ("I10.x00x003", "高血压2级"), ("I10.x00x004", "高血压3级")),
    "C34.900": (("C34.900x001", "肺恶性肿瘤"), ("C34.900", "支气管或肺恶性肿瘤")),
    "C50.900": (("C50.900x001", "乳腺恶性肿瘤"),),
    "C16.900": (("C16.900x001", "胃恶性肿瘤"),),
    "C22.000": (("C22.000x001", "肝细胞癌"),),
    "R50.900": (("R50.900x001", "发热"),),
    "I25.100": (("I25.103", "冠状动脉粥样硬化性心脏病"),),
    "E11.900": (("E11.900", "2型糖尿病"), ("E11.900x001", "2型糖尿病不伴有并发症")),
    "J44.900": (("J44.900", "慢性阻塞性肺疾病"), ("J44.100x001", "慢性阻塞性肺疾病急性加重")),
    "K80.200": (("K80.200x002", "胆囊结石"),),
    "I63.900": (("I63.900", "脑梗死"), ("I63.900x002", "多发性脑梗死")),
    "J18.900": (("J18.900", "肺炎"), ("J18.900x001", "社区获得性肺炎")),
}

#: conditions commonly written as secondary diagnoses (comorbidities of older patients)
COMORBIDITIES: tuple[str, ...] = ("I10.x00", "E11.900", "E78.500", "I25.100", "M81.900")


def diagnoses_of(kind: str) -> tuple[Diagnosis, ...]:
    return tuple(d for d in DIAGNOSES if d.kind == kind)


# --- the catalogue: drugs, devices, services -----------------------------------------------


@dataclass(frozen=True)
class CatalogueItem:
    code: str
    name: str
    #: ``drug``, ``device`` or ``service``
    category: str
    #: ``A`` 甲类, ``B`` 乙类, ``C`` 丙类 (out of catalogue: 自费)
    catalogue_class: str
    price_fen: int
    unit: str
    special_drug: bool = False
    tags: tuple[str, ...] = field(default=())
    #: the institution's own catalogue code (medins_list_codg); services: the 9-digit Shanghai code
    local_code: str = ""

    @property
    def chrgitm_lv(self) -> str:
        """收费项目等级: 01 甲类, 02 乙类, 03 丙类."""
        return {"A": "01", "B": "02", "C": "03"}[self.catalogue_class]

    @property
    def med_chrgitm_type(self) -> str:
        """医疗收费项目类别 (01 床位费 … 14 其他费)."""
        if self.category == "drug":
            return "11" if self.code.startswith("Z") else "09"
        if self.category == "device":
            return "08"
        return _service_type(self.local_code)


def _drug(prefix: str, atc: str, serial: int, name: str, cls: str, price: float, unit: str,
          tags: str, special: bool = False) -> CatalogueItem:
    # X/Z + 5-char class + dosage-form letter + 3-digit product + A + 12-digit manufacturer/pack
    code = f"{prefix}{atc}{'ETLK'[serial % 4]}{serial:03d}A{(serial * 48_271 + 90_017) % 10**12:012d}"
    return CatalogueItem(code, name, "drug", cls, round(price * 100), unit, special, tuple(tags.split()),
                         local_code=f"{'YP' if prefix == 'X' else 'ZY'}{serial:05d}")


def _device(group: str, serial: int, name: str, cls: str, price: float, unit: str) -> CatalogueItem:
    # C + 4-digit class (group) + 15 digits
    code = f"C{group[1:]}{(serial * 7_919 + 104_729) % 10**15:015d}"
    return CatalogueItem(code, name, "device", cls, round(price * 100), unit, tags=(group,),
                         local_code=f"CL{serial:05d}")


def _service(code: str, name: str, price: float, unit: str = "次", cls: str = "A") -> CatalogueItem:
    # the national 15-digit 医疗服务项目 code: "00" + the 9-digit item + "0000" (诊查费 110200001 ->
    # 001102000010000, as in the public 2204 examples); the Shanghai 9-digit code stays the local one
    return CatalogueItem(f"00{code}0000", name, "service", cls, round(price * 100), unit, local_code=code)


def _service_type(code9: str) -> str:
    """医疗收费项目类别 of a service by its 9-digit code's chapter."""
    if code9.startswith(("1109", "1202000")):
        return "01"  # 床位费
    if code9.startswith("1102"):
        return "02"  # 诊察费
    if code9.startswith("1201"):
        return "07"  # 护理费
    if code9.startswith(("25", "27")):
        return "04"  # 化验费 (检验, 病理)
    if code9.startswith(("21", "22", "3107", "3106")):
        return "03"  # 检查费
    if code9.startswith(("33", "3206", "3310", "3312", "3313")):
        return "06"  # 手术费
    return "05"  # 治疗费


DRUGS: tuple[CatalogueItem, ...] = (
    # respiratory
    _drug("X", "J01CA", 1, "阿莫西林胶囊", "A", 12.50, "盒", "resp dental uro"),
    _drug("X", "J01DC", 2, "头孢克洛缓释片", "B", 28.60, "盒", "resp uro"),
    _drug("X", "J01MA", 3, "左氧氟沙星片", "A", 16.40, "盒", "resp uro"),
    _drug("X", "R05CB", 4, "盐酸氨溴索口服溶液", "B", 18.00, "瓶", "resp"),
    _drug("X", "R03DC", 5, "孟鲁司特钠片", "B", 45.50, "盒", "resp allergy"),
    _drug("X", "R03AK", 6, "布地奈德福莫特罗吸入粉雾剂", "B", 229.80, "支", "resp"),
    _drug("X", "R03BB", 7, "噻托溴铵吸入粉雾剂", "B", 178.00, "盒", "resp"),
    _drug("Z", "A01AB", 8, "连花清瘟胶囊", "B", 14.80, "盒", "resp"),
    _drug("X", "M01AE", 9, "布洛芬缓释胶囊", "A", 9.80, "盒", "resp msk neuro dental general"),
    _drug("X", "R06AX", 10, "氯雷他定片", "B", 21.30, "盒", "allergy derm"),
    # digestive
    _drug("X", "A02BC", 11, "奥美拉唑肠溶胶囊", "A", 15.30, "盒", "gi surg"),
    _drug("X", "A02AD", 12, "铝碳酸镁咀嚼片", "B", 22.00, "盒", "gi"),
    _drug("X", "A07BC", 13, "蒙脱石散", "A", 12.00, "盒", "gi"),
    _drug("X", "A03FA", 14, "枸橼酸莫沙必利片", "B", 25.40, "盒", "gi"),
    _drug("Z", "A06AB", 15, "复方消化酶胶囊", "C", 38.00, "盒", "gi"),
    # cardiovascular
    _drug("X", "C08CA", 16, "苯磺酸氨氯地平片", "A", 9.10, "盒", "cv"),
    _drug("X", "C09CA", 17, "缬沙坦胶囊", "A", 14.20, "盒", "cv renal"),
    _drug("X", "C10AA", 18, "阿托伐他汀钙片", "A", 11.60, "盒", "cv dm"),
    _drug("X", "B01AC", 19, "阿司匹林肠溶片", "A", 12.30, "盒", "cv neuro"),
    _drug("X", "B01AC", 20, "硫酸氢氯吡格雷片", "A", 19.90, "盒", "cv neuro"),
    _drug("X", "C07AB", 21, "琥珀酸美托洛尔缓释片", "B", 32.50, "盒", "cv"),
    _drug("X", "C09DX", 22, "沙库巴曲缬沙坦钠片", "B", 98.00, "盒", "cv"),
    _drug("X", "B01AF", 23, "利伐沙班片", "B", 86.40, "盒", "cv ortho"),
    _drug("Z", "C01EB", 24, "复方丹参滴丸", "B", 27.60, "盒", "cv"),
    # diabetes / endocrine
    _drug("X", "A10BA", 25, "盐酸二甲双胍片", "A", 8.40, "盒", "dm"),
    _drug("X", "A10BF", 26, "阿卡波糖片", "A", 18.70, "盒", "dm"),
    _drug("X", "A10AB", 27, "门冬胰岛素注射液", "B", 68.90, "支", "dm"),
    _drug("X", "A10AE", 28, "甘精胰岛素注射液", "B", 89.50, "支", "dm"),
    _drug("X", "A10BK", 29, "达格列净片", "B", 52.80, "盒", "dm cv renal"),
    _drug("X", "H03AA", 30, "左甲状腺素钠片", "A", 21.00, "盒", "endo onc"),
    # kidney, liver, blood
    _drug("X", "B03XA", 31, "重组人促红素注射液", "B", 46.00, "支", "renal heme"),
    _drug("X", "V03AE", 32, "碳酸司维拉姆片", "B", 143.00, "盒", "renal"),
    _drug("X", "J05AF", 33, "恩替卡韦分散片", "A", 17.50, "盒", "liver"),
    _drug("X", "B05AA", 34, "人血白蛋白", "B", 368.00, "瓶", "liver onc surg"),
    # bones, joints, pain
    _drug("X", "M05BA", 35, "阿仑膦酸钠片", "B", 36.20, "盒", "msk"),
    _drug("X", "A11CC", 36, "阿法骨化醇软胶囊", "B", 28.80, "盒", "msk renal"),
    _drug("X", "M09AX", 37, "玻璃酸钠注射液", "B", 126.00, "支", "msk"),
    _drug("X", "M01AH", 38, "塞来昔布胶囊", "B", 24.60, "盒", "msk ortho"),
    _drug("X", "L04AX", 39, "甲氨蝶呤片", "A", 19.50, "盒", "msk"),
    # nervous system, mind
    _drug("X", "N05AH", 40, "奥氮平片", "B", 62.00, "盒", "psych"),
    _drug("X", "N06AB", 41, "盐酸舍曲林片", "B", 48.30, "盒", "psych"),
    _drug("X", "N05CF", 42, "右佐匹克隆片", "B", 33.00, "盒", "neuro psych"),
    _drug("X", "N04BA", 43, "多巴丝肼片", "A", 56.40, "盒", "neuro"),
    _drug("X", "N03AX", 44, "左乙拉西坦片", "B", 88.00, "盒", "neuro"),
    # skin, eyes
    _drug("X", "D07AC", 45, "糠酸莫米松乳膏", "B", 19.80, "支", "derm"),
    _drug("X", "S01AE", 46, "左氧氟沙星滴眼液", "A", 15.60, "支", "eye"),
    _drug("X", "S01XA", 47, "玻璃酸钠滴眼液", "C", 42.00, "支", "eye"),
    # injections used in stays
    _drug("X", "B05BB", 48, "氯化钠注射液", "A", 3.50, "袋", "infusion"),
    _drug("X", "B05BA", 49, "葡萄糖注射液", "A", 4.20, "袋", "infusion"),
    _drug("X", "J01DD", 50, "注射用头孢曲松钠", "A", 12.80, "支", "infusion resp surg uro"),
    _drug("X", "J01DC", 51, "注射用头孢呋辛钠", "B", 16.50, "支", "infusion surg ortho"),
    _drug("X", "B01AB", 52, "低分子肝素钙注射液", "B", 38.00, "支", "ortho cv neuro"),
    _drug("X", "H02AB", 53, "地塞米松磷酸钠注射液", "A", 2.10, "支", "infusion allergy heme"),
    _drug("Z", "B01AC", 54, "丹红注射液", "C", 55.00, "支", "neuro cv"),
    _drug("X", "L03AX", 55, "注射用胸腺法新", "C", 128.00, "支", "onc liver"),
    _drug("X", "G02AB", 56, "缩宫素注射液", "A", 4.80, "支", "obst"),
    # oncology: chemotherapy and endocrine
    _drug("X", "L01CD", 57, "注射用紫杉醇（白蛋白结合型）", "B", 718.00, "支", "onc"),
    _drug("X", "L01BC", 58, "卡培他滨片", "B", 96.00, "盒", "onc"),
    _drug("X", "L02BG", 59, "来曲唑片", "B", 49.80, "盒", "onc"),
    _drug("X", "L01XA", 60, "注射用奥沙利铂", "B", 265.00, "支", "onc"),
    _drug("X", "A04AA", 61, "盐酸昂丹司琼注射液", "B", 23.00, "支", "onc"),
    # 特药: innovative and high-cost drugs
    _drug("X", "L01EB", 62, "甲磺酸奥希替尼片", "B", 4_960.00, "盒", "onc lung", special=True),
    _drug("X", "L01FF", 63, "信迪利单抗注射液", "B", 1_080.00, "支", "onc", special=True),
    _drug("X", "L01FD", 64, "注射用曲妥珠单抗", "B", 1_688.00, "支", "onc breast", special=True),
    _drug("X", "L01FF", 65, "帕博利珠单抗注射液", "C", 17_918.00, "支", "onc", special=True),
    _drug("X", "L01EX", 66, "甲苯磺酸仑伐替尼胶囊", "B", 2_098.00, "盒", "onc liver", special=True),
    _drug("X", "L02BB", 67, "恩扎卢胺软胶囊", "B", 3_120.00, "盒", "onc prostate", special=True),
    _drug("X", "L01EL", 68, "泽布替尼胶囊", "B", 4_270.00, "盒", "heme", special=True),
    _drug("X", "L01FC", 69, "达雷妥尤单抗注射液", "B", 4_450.00, "支", "heme", special=True),
    _drug("X", "L01XL", 70, "阿基仑赛注射液", "C", 1_200_000.00, "袋", "heme_cart", special=True),
    _drug("X", "L01EF", 71, "哌柏西利胶囊", "B", 2_288.00, "盒", "onc breast", special=True),
)

DEVICES: tuple[CatalogueItem, ...] = (
    _device("C0201", 1, "药物洗脱冠状动脉支架", "B", 698.00, "个"),
    _device("C0202", 2, "冠状动脉球囊扩张导管", "B", 285.00, "根"),
    _device("C0301", 3, "腹腔镜用一次性穿刺器", "B", 760.00, "套"),
    _device("C0302", 4, "可吸收止血夹", "B", 198.00, "个"),
    _device("C0303", 5, "疝修补补片", "B", 1_850.00, "片"),
    _device("C0401", 6, "人工晶状体", "B", 1_320.00, "片"),
    _device("C0501", 7, "人工髋关节假体", "B", 7_200.00, "套"),
    _device("C0502", 8, "骨科内固定空心螺钉", "B", 980.00, "枚"),
    _device("C0601", 9, "输尿管支架管", "B", 420.00, "根"),
    _device("C0701", 10, "一次性使用输液器", "A", 2.50, "套"),
    _device("C0702", 11, "血液透析器", "B", 118.00, "个"),
    _device("C0703", 12, "一次性导尿包", "A", 18.00, "套"),
)

SERVICES: tuple[CatalogueItem, ...] = (
    _service("110200001", "门诊诊查费", 25.00),
    _service("110200002", "副主任医师门诊诊查费", 40.00),
    _service("110200003", "急诊诊查费", 30.00),
    _service("110900001", "普通病房床位费", 80.00, "日"),
    _service("120100002", "二级护理", 30.00, "日"),
    _service("120400006", "静脉输液", 8.00),
    _service("120400001", "肌肉注射", 3.00),
    _service("250101015", "血细胞分析（血常规）", 20.00),
    _service("250305009", "肝功能检测", 60.00),
    _service("250307005", "肾功能检测", 45.00),
    _service("250310001", "血糖测定", 10.00),
    _service("250301003", "糖化血红蛋白测定", 65.00),
    _service("250403001", "C反应蛋白测定", 30.00),
    _service("250402035", "肿瘤标志物检测", 120.00),
    _service("210300001", "胸部CT平扫", 280.00),
    _service("210400001", "磁共振平扫", 600.00),
    _service("220201001", "腹部B超", 120.00),
    _service("310701001", "常规心电图", 25.00),
    _service("270300001", "病理检查", 220.00),
    _service("311000006", "血液透析", 420.00),
    _service("311000021", "体外冲击波碎石", 1_200.00),
    _service("310603007", "胃镜检查", 380.00),
    _service("330100003", "局部浸润麻醉", 120.00),
    _service("330100005", "全身麻醉", 850.00),
    _service("331003010", "腹腔镜阑尾切除术", 1_650.00),
    _service("331005008", "腹腔镜胆囊切除术", 2_100.00),
    _service("331008012", "腹股沟疝修补术", 1_380.00),
    _service("330603021", "白内障超声乳化摘除术", 1_800.00),
    _service("331508013", "人工髋关节置换术", 4_200.00),
    _service("320600005", "经皮冠状动脉支架置入术", 3_800.00),
    _service("331102009", "经尿道前列腺电切术", 2_300.00),
    _service("331202003", "单胎顺产接生", 900.00),
    _service("331303002", "腹腔镜子宫肌瘤剔除术", 2_600.00),
    _service("340200001", "康复评定", 60.00, cls="B"),
    _service("480000001", "中医针灸治疗", 45.00, cls="B"),
    _service("120200001", "特需病房床位费", 600.00, "日", cls="C"),
)

#: by the 9-digit local code (diagnoses name their procedures that way)
SERVICES_BY_CODE = {s.local_code: s for s in SERVICES}
DEVICES_BY_GROUP = {d.tags[0]: d for d in DEVICES}
SERVICE = {s.name: s for s in SERVICES}


def drugs_for(tag: str) -> tuple[CatalogueItem, ...]:
    return tuple(d for d in DRUGS if tag in d.tags)


#: 特药 list (innovative / high-cost drugs under the platform's special-drug management)
SPECIAL_DRUGS = tuple(d for d in DRUGS if d.special_drug)

# --- Shanghai roads, by district (for addresses that stay inside their district) -----------
ROADS: dict[str, tuple[str, ...]] = {
    "310101": ("南京东路", "淮海中路", "西藏南路", "复兴东路", "河南南路", "瑞金二路", "中山南路", "蒙自路"),
    "310104": ("漕溪北路", "天钥桥路", "宛平南路", "龙华西路", "虹漕路", "田林路", "斜土路", "华山路"),
    "310105": ("延安西路", "天山路", "仙霞路", "虹桥路", "哈密路", "古北路", "愚园路", "江苏路"),
    "310106": ("南京西路", "共和新路", "万荣路", "西康路", "大统路", "延长中路", "广中西路", "北京西路"),
    "310107": ("曹杨路", "真北路", "武宁路", "中山北路", "长寿路", "金沙江路", "兰溪路", "光新路"),
    "310109": ("四平路", "大连西路", "曲阳路", "欧阳路", "海伦路", "东江湾路", "广灵二路", "水电路"),
    "310110": ("控江路", "国权路", "黄兴路", "长阳路", "平凉路", "殷行路", "政立路", "隆昌路"),
    "310112": ("莘庄路", "七莘路", "都市路", "虹井路", "龙吴路", "江川路", "颛兴路", "古美路"),
    "310113": ("牡丹江路", "友谊路", "共康路", "淞滨路", "泰和路", "呼兰路", "庙行路", "殷高西路"),
    "310114": ("城中路", "塔城路", "博乐路", "胜辛路", "清河路", "墨玉路", "安亭路", "曹安公路"),
    "310115": ("张杨路", "浦东南路", "东方路", "世纪大道", "杨高中路", "锦绣路", "川沙路", "金桥路",
               "高科西路", "沪南公路"),
    "310116": ("卫零路", "龙山路", "蒙山路", "亭卫公路", "金山大道", "卫清西路", "漕廊公路", "板桥西路"),
    "310117": ("人民北路", "中山中路", "荣乐东路", "乐都路", "谷阳北路", "九亭大街", "新松江路", "玉树路"),
    "310118": ("城中北路", "公园路", "外青松公路", "青安路", "盈港东路", "崧泽大道", "华青路", "淀山湖大道"),
    "310120": ("南桥路", "解放东路", "江海路", "百齐路", "金海公路", "环城东路", "望园路", "沪杭公路"),
    "310151": ("八一路", "人民路", "东门路", "乔松路", "北门路", "鼓浦路", "三沙洪路", "城桥镇西门路"),
}

assert set(ROADS) == set(SHANGHAI_DISTRICTS), "every Shanghai district needs roads"
