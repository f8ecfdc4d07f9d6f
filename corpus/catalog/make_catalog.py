"""Generate the sample catalog of existing systems (已建政务信息系统目录) of 南充市 市级部门.

    python corpus/catalog/make_catalog.py            # writes nanchong-systems.xlsx and .csv (GBK)
    python corpus/catalog/make_catalog.py --check    # verify the committed files are up to date

Deterministic (seeded). The catalog holds:
- ANCHORS: hand-written systems the labelled set (corpus/duplicates/labelled.jsonl) and the corpus
  packages refer to by exact name — e.g. 南充市城市管理局's 一期 数字化城市管理系统 (the predecessor of
  nanchong-zhcg-complete: must not fire) and 南充市住房和城乡建设局's 数字化城市管理信息系统 (must fire);
- 统建通用系统 run by 市大数据中心 / 市政府办公室 (统一身份认证, 电子印章, ...);
- filler: per department, business objects × system types, with function descriptions built from
  object- and type-specific phrases, so the index sees a realistic vocabulary.

`generate(n, seed)` scales the same vocabulary to n systems (bench: 1k / 10k / 100k).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
XLSX = HERE / "nanchong-systems.xlsx"
CSV = HERE / "nanchong-systems.csv"
HEADER = ["序号", "系统编号", "系统名称", "所属部门", "主要功能", "建设年份", "运行状态", "部署位置", "是否统建通用系统"]
CITY = "南充市"


@dataclass(frozen=True)
class System:
    name: str
    dept: str
    functions: str
    year: int
    status: str = "运行中"
    location: str = "市级政务云（电子政务外网区）"
    common: bool = False


# ---------------------------------------------------------------- anchors (referenced by name)

ANCHORS: list[System] = [
    # nanchong-zhcg-complete (南充市城市管理局, 智慧城管综合平台（二期）)
    System("南充市数字化城市管理系统", "南充市城市管理局",
           "一期工程，包括监督受理、协同工作、监督指挥、综合评价、地理编码、应用维护、基础数据资源管理、数据交换、"
           "无线数据采集等9个子系统，实现城市管理问题发现、立案、派遣、处置、核查、结案闭环管理，划分单元网格5800个",
           2019),
    System("南充市数字化城市管理信息系统", "南充市住房和城乡建设局",
           "城市管理部件事件普查与网格化监管，问题上报、立案、派遣、处置、核查、结案全流程管理，监督员巡查考核，"
           "市政设施和市容环境问题综合评价", 2016, location="部门自建机房"),
    System("南充市户外广告设置管理系统", "南充市城市管理局",
           "户外广告设置审批、广告牌匾台账、到期提醒、违规广告巡查处置", 2021),
    System("南充市城市管理综合执法办案系统", "南充市城市管理局",
           "城市管理行政处罚案件立案、调查取证、审核、决定、执行、结案，执法文书生成和执法记录仪管理", 2020),
    # 统建通用系统 (common systems every unit must reuse)
    System("南充市统一身份认证平台", "南充市大数据中心",
           "全市政务应用统一用户管理、统一身份认证、单点登录、CA数字证书认证、人脸识别实名核验", 2020, common=True),
    System("南充市电子印章系统", "南充市大数据中心",
           "电子印章制章、用章、验章、印章授权管理和用章日志审计，为各部门业务系统提供电子签章服务", 2021, common=True),
    System("南充市统一消息服务平台", "南充市大数据中心",
           "短信、政务微信、站内消息统一发送通道，消息模板管理、发送记录和统计", 2021, common=True),
    System("南充市数据共享交换平台", "南充市大数据中心",
           "政务数据目录管理、资源注册、数据归集、共享交换、接口服务、数据质量检测", 2019, common=True),
    System("南充市一体化政务服务平台", "南充市政务服务和公共资源交易服务中心",
           "政务服务事项管理、网上申报、统一受理、办件流转、好差评、电子证照调用，一网通办总门户", 2019, common=True),
    System("南充市电子证照库", "南充市大数据中心",
           "电子证照制证、签发、归集、共享调用、亮证核验", 2020, common=True),
    System("南充市协同办公平台", "南充市人民政府办公室",
           "公文收发、公文流转、会议管理、督查督办、通知公告、移动办公，覆盖全市市级部门", 2020, common=True),
    System("南充市视频共享平台", "南充市公安局",
           "全市公共视频资源汇聚、共享调阅、视频联网、级联转发，向各部门提供视频图像共享服务", 2018, common=True),
    System("南充市12345政务服务便民热线系统", "南充市政务服务和公共资源交易服务中心",
           "市民诉求电话、网络受理，工单派发、承办反馈、回访评价，热线知识库", 2018, common=True),
    System("南充市公共信用信息平台", "南充市发展和改革委员会",
           "公共信用信息归集、信用主体档案、信用查询、红黑名单、联合奖惩、信用修复", 2019, common=True),
    System("南充市互联网+监管系统", "南充市人民政府办公室",
           "监管事项目录、监管行为数据归集、双随机一公开抽查、风险预警、联合监管", 2020, common=True),
    # near misses and rephrased duplicates used by the labelled set
    System("南充市网格化社会治理信息平台", "中共南充市委政法委员会",
           "综治网格划分、网格员巡查走访、矛盾纠纷排查化解、重点人员服务管理、平安建设考评", 2019),
    System("南充市智慧停车管理平台", "南充市公安局交通警察支队",
           "路内泊位和停车场信息接入、停车诱导、车位预约、停车收费、违停取证", 2021),
    System("南充市不动产登记信息平台", "南充市自然资源和规划局",
           "不动产登记受理、审核、登簿、缴费、缮证发证，登记档案管理，一窗受理对接税务和住建", 2018),
    System("南充市住房公积金综合服务平台", "南充市住房公积金管理中心",
           "公积金缴存、提取、贷款业务网上办理，账户查询，12329热线，短信服务", 2017),
    System("南充市生态环境监测监控平台", "南充市生态环境局",
           "空气质量、地表水水质、噪声自动监测数据汇聚，污染源在线监控，超标预警和溯源分析", 2020),
    System("南充市应急指挥综合平台", "南充市应急管理局",
           "突发事件接报、应急预案管理、应急资源一张图、指挥调度、视频会商、灾情统计", 2020),
    System("南充市危险化学品安全生产风险监测预警系统", "南充市应急管理局",
           "危化企业重大危险源在线监测、风险分级预警、企业安全承诺公告、隐患排查治理", 2021),
    System("南充市河长制管理信息系统", "南充市水务局",
           "河湖名录、河长巡河APP、问题上报与交办、河湖水质监测数据展示、考核评价", 2018),
    System("南充市防汛抗旱指挥系统", "南充市水务局",
           "雨水情监测、山洪灾害预警、水库调度、防汛物资管理、会商决策", 2017),
    System("南充市食品安全智慧监管平台", "南充市市场监督管理局",
           "食品生产经营主体档案、日常监督检查、抽检监测、餐饮明厨亮灶视频、食品追溯", 2021),
    System("南充市特种设备安全监管系统", "南充市市场监督管理局",
           "电梯、锅炉、压力容器等特种设备登记、定期检验提醒、维保监督、电梯困人应急处置", 2019),
    System("南充市智慧教育云平台", "南充市教育局",
           "优质教育资源共享、网络教研、在线课堂、学生综合素质评价、教育管理公共服务", 2019),
    System("南充市全民健康信息平台", "南充市卫生健康委员会",
           "居民电子健康档案、电子病历共享调阅、区域检查检验结果互认、公共卫生数据上报", 2019),
    System("南充市养老服务综合管理平台", "南充市民政局",
           "老年人信息档案、居家养老服务派单、养老机构监管、养老补贴发放、紧急呼叫", 2021),
    System("南充市信访信息系统", "南充市信访局",
           "来信来访登记、网上信访受理、交办转送、办理督办、满意度评价、信访数据分析", 2016),
    System("南充市公共资源交易电子服务系统", "南充市政务服务和公共资源交易服务中心",
           "工程建设、政府采购项目电子招投标，开评标、专家抽取、保证金管理、交易见证", 2018),
    System("南充市工程建设项目审批管理系统", "南充市住房和城乡建设局",
           "工程建设项目全流程审批、并联审批、多规合一业务协同、审批进度查询、联合验收", 2019),
    System("南充市国土空间基础信息平台", "南充市自然资源和规划局",
           "国土空间规划一张图、现状数据、规划成果管理、规划实施监督、审查辅助", 2021),
    System("南充市森林草原防火监测预警系统", "南充市林业局",
           "林区视频监控火情自动识别、卫星热点核查、护林员巡护、防火物资管理", 2021),
    System("南充市智慧旅游服务平台", "南充市文化广播电视和旅游局",
           "景区客流监测、旅游资讯发布、线上预订、游客投诉处理、旅游大数据分析", 2020),
    System("南充市融媒体中心采编发系统", "南充市广播电视台",
           "新闻线索汇聚、多媒体采编、审核签发、全媒体分发、传播效果分析", 2021),
    System("南充市智慧党建云平台", "中共南充市委组织部",
           "党组织和党员信息管理、三会一课、党费收缴、党员积分、组织生活纪实", 2020),
    System("南充市人大代表建议和政协提案办理系统", "南充市人民政府办公室",
           "建议提案交办、承办单位办理、答复、代表委员评价、办理进度督办", 2019),
    System("南充市社会保险信息系统", "南充市人力资源和社会保障局",
           "养老、工伤、失业保险参保登记、缴费核定、待遇核发、社保卡业务", 2015, location="省级平台"),
    System("南充市医疗保障信息平台", "南充市医疗保障局",
           "医保参保、基金结算、两定机构管理、医保电子凭证、异地就医、基金监管", 2021, location="省级平台"),
    System("南充市公务用车管理平台", "南充市机关事务管理局",
           "公务用车申请审批、车辆调度、北斗定位、里程和费用统计", 2019),
    System("南充市数字档案馆系统", "南充市档案馆",
           "电子档案接收、长期保存、档案数字化、利用查询、开放鉴定", 2018),
    System("南充市智慧工地监管平台", "南充市住房和城乡建设局",
           "建筑工地扬尘在线监测、塔吊监测、实名制考勤、视频监控、安全隐患巡查", 2021),
    System("南充市渣土运输车辆监管系统", "南充市公安局交通警察支队",
           "渣土车辆北斗定位、轨迹回放、超速报警、闯禁行抓拍", 2019),
    System("南充市环卫作业监管平台", "南充市环境卫生管理处",
           "环卫车辆定位、道路保洁作业考核、垃圾清运、公厕管理", 2020),
]

# ---------------------------------------------------------------- filler vocabulary

TYPES: dict[str, tuple[str, list[str]]] = {
    # key: (name suffix, function phrases; {o} is the business object)
    "mgmt": ("管理系统", ["{o}信息登记", "{o}台账管理", "变更注销", "{o}统计分析", "档案查询", "报表生成"]),
    "supv": ("监管平台", ["{o}在线监测", "风险预警", "监督检查", "问题整改跟踪", "执法联动", "{o}监管数据分析"]),
    "serv": ("服务平台", ["{o}网上申报", "办理进度查询", "结果送达", "服务评价", "政策发布", "在线咨询"]),
    "db": ("数据库", ["{o}数据采集", "数据清洗入库", "数据共享", "数据查询统计", "数据质量检查"]),
    "app": ("移动应用", ["{o}移动办理", "现场核查拍照", "消息提醒", "移动审批", "位置上报"]),
    "appr": ("审批系统", ["{o}许可受理", "审查", "审批决定", "证照发放", "审批档案"]),
    "trace": ("追溯系统", ["{o}生产流通记录", "扫码追溯", "来源查询", "问题产品召回"]),
    "monitor": ("监测系统", ["{o}监测点管理", "实时数据采集", "超标报警", "趋势分析", "监测报告"]),
    "dispatch": ("调度指挥系统", ["{o}调度", "指挥一张图", "视频会商", "任务派发", "事件处置反馈"]),
    "eval": ("考核评价系统", ["{o}指标管理", "考核打分", "排名通报", "考核结果应用"]),
    "plan": ("规划管理系统", ["{o}规划编制", "规划成果入库", "项目落图", "规划实施评估"]),
    "fund": ("资金管理系统", ["{o}资金申报", "资金拨付", "绩效评价", "资金监管"]),
}

# dept -> (objects, type keys)
DEPTS: dict[str, tuple[list[str], list[str]]] = {
    "南充市人民政府办公室": (["政务信息", "政务值班", "重点工作督查", "政府文件", "应急值守", "政务公开"],
                       ["mgmt", "db", "app", "eval"]),
    "南充市发展和改革委员会": (["重大项目", "固定资产投资", "价格监测", "粮食储备", "能源运行", "招商引资项目",
                         "社会信用体系", "重点项目储备"], ["mgmt", "supv", "db", "fund", "monitor", "plan"]),
    "南充市经济和信息化局": (["工业企业", "中小企业", "工业园区", "电力运行", "技术改造项目", "企业上云",
                        "军民融合", "无线电频率"], ["mgmt", "serv", "db", "monitor", "fund"]),
    "南充市教育局": (["学籍", "招生考试", "教师队伍", "校园安全", "学生资助", "校车", "学前教育", "职业教育",
                  "教育装备", "学校食堂"], ["mgmt", "serv", "db", "supv", "app", "eval", "fund"]),
    "南充市科学技术局": (["科技项目", "科技成果", "高新技术企业", "科技专家", "科技特派员"],
                    ["mgmt", "serv", "db", "eval", "fund"]),
    "南充市公安局": (["治安管理", "户籍", "出入境", "重点人员", "流动人口", "旅馆业", "寄递物流", "网吧",
                  "警务督察", "警用装备"], ["mgmt", "supv", "db", "app", "dispatch"]),
    "南充市公安局交通警察支队": (["交通违法", "交通事故", "机动车", "驾驶人", "交通信号", "重点车辆", "电动自行车"],
                          ["mgmt", "supv", "db", "app", "dispatch", "monitor"]),
    "南充市民政局": (["社会救助", "低保", "特困供养", "婚姻登记", "殡葬服务", "社会组织", "慈善捐赠", "地名",
                  "儿童福利", "区划界线"], ["mgmt", "serv", "db", "supv", "fund", "app"]),
    "南充市司法局": (["法律援助", "人民调解", "社区矫正", "公证", "律师", "行政复议", "普法", "司法鉴定"],
                  ["mgmt", "serv", "db", "supv", "app"]),
    "南充市财政局": (["预算编制", "国库集中支付", "非税收入", "政府采购", "政府债务", "财政票据", "资产管理",
                  "惠民惠农补贴"], ["mgmt", "supv", "db", "fund"]),
    "南充市人力资源和社会保障局": (["就业失业", "职业技能培训", "人才引进", "劳动保障监察", "劳动人事争议仲裁",
                            "事业单位人事", "工资福利", "农民工工资"], ["mgmt", "serv", "db", "supv", "fund", "app"]),
    "南充市自然资源和规划局": (["土地供应", "耕地保护", "矿产资源", "测绘地理信息", "地质灾害", "土地执法",
                         "建设用地审批", "自然资源确权"], ["mgmt", "supv", "db", "monitor", "appr", "plan"]),
    "南充市生态环境局": (["排污许可", "危险废物", "建设项目环评", "机动车尾气", "辐射安全", "固体废物",
                     "环境执法", "饮用水源地"], ["mgmt", "supv", "db", "monitor", "appr", "app"]),
    "南充市住房和城乡建设局": (["房地产市场", "商品房预售", "住房保障", "物业服务", "建筑市场", "燃气安全",
                         "城市排水", "建筑节能", "老旧小区改造", "房屋安全"],
                        ["mgmt", "supv", "db", "serv", "monitor", "appr", "app"]),
    "南充市城市管理局": (["城市照明", "市政设施", "园林绿化", "城市供水", "生活垃圾分类", "公厕",
                     "临时占道经营"], ["mgmt", "db", "monitor", "eval"]),
    "南充市交通运输局": (["道路运输", "出租汽车", "网约车", "公交运营", "交通工程建设", "公路养护", "治超",
                     "港航", "危险货物运输"], ["mgmt", "supv", "db", "serv", "monitor", "dispatch", "app"]),
    "南充市水务局": (["水资源", "水土保持", "农村供水", "水利工程", "水库大坝", "取水许可", "节约用水", "河道采砂"],
                  ["mgmt", "supv", "db", "monitor", "appr", "app"]),
    "南充市农业农村局": (["农产品质量安全", "动物防疫", "农机", "高标准农田", "农村集体资产", "农业执法",
                     "渔业", "种子", "农药", "家庭农场", "农村宅基地"],
                    ["mgmt", "supv", "db", "trace", "serv", "monitor", "fund", "app"]),
    "南充市商务局": (["对外贸易", "外商投资", "电子商务", "成品油流通", "商贸流通", "单用途预付卡", "会展"],
                  ["mgmt", "serv", "db", "supv", "monitor"]),
    "南充市文化广播电视和旅游局": (["文物", "公共文化", "文化市场", "广播电视", "非物质文化遗产", "旅游景区",
                            "A级景区", "星级饭店"], ["mgmt", "serv", "db", "supv", "monitor", "app"]),
    "南充市卫生健康委员会": (["传染病", "疫苗接种", "妇幼健康", "家庭医生签约", "卫生监督", "医疗机构",
                        "血液", "院前急救", "职业健康", "计划生育"],
                       ["mgmt", "supv", "db", "serv", "monitor", "dispatch", "app"]),
    "南充市退役军人事务局": (["退役军人", "优抚对象", "军休干部", "烈士纪念设施", "退役军人就业"],
                        ["mgmt", "serv", "db", "fund"]),
    "南充市应急管理局": (["安全生产执法", "非煤矿山", "工贸企业", "应急物资", "自然灾害", "应急预案",
                     "救援队伍", "烟花爆竹"], ["mgmt", "supv", "db", "monitor", "dispatch", "app"]),
    "南充市审计局": (["审计项目", "审计整改", "审计数据", "经济责任审计"], ["mgmt", "db", "eval"]),
    "南充市国有资产监督管理委员会": (["国有企业", "国有资产产权", "国企投资", "国企负责人业绩"],
                             ["mgmt", "supv", "db", "eval"]),
    "南充市市场监督管理局": (["市场主体登记", "企业年报", "计量器具", "药品经营", "医疗器械", "化妆品",
                        "网络交易", "价格监督", "知识产权", "广告监测", "产品质量", "标准化"],
                       ["mgmt", "supv", "db", "serv", "trace", "appr", "monitor", "app"]),
    "南充市体育局": (["全民健身", "体育场馆", "体育赛事", "社会体育指导员", "体育彩票"], ["mgmt", "serv", "db"]),
    "南充市统计局": (["统计调查", "统计联网直报", "经济普查", "人口普查", "统计执法"], ["mgmt", "db", "supv"]),
    "南充市医疗保障局": (["医保基金", "医药价格", "定点医药机构", "医保支付", "药品集中采购"],
                     ["mgmt", "supv", "db", "monitor"]),
    "南充市林业局": (["林木采伐", "林地", "古树名木", "野生动植物", "林业有害生物", "自然保护地", "林长制"],
                  ["mgmt", "supv", "db", "monitor", "appr", "app"]),
    "南充市信访局": (["信访积案", "领导接访", "信访事项复查", "信访考核"], ["mgmt", "db", "eval"]),
    "南充市政务服务和公共资源交易服务中心": (["政务服务事项", "企业开办", "帮办代办", "中介服务", "评标专家",
                                 "交易场地", "政务服务好差评"], ["mgmt", "serv", "db", "supv", "eval"]),
    "南充市大数据中心": (["政务云资源", "政务数据资源", "政务外网", "数据安全", "信息化项目", "公共数据开放"],
                     ["mgmt", "supv", "db", "monitor", "eval"]),
    "南充市住房公积金管理中心": (["公积金缴存", "公积金贷款", "公积金提取", "公积金归集"], ["mgmt", "serv", "db"]),
    "南充市机关事务管理局": (["公共机构节能", "办公用房", "机关食堂", "政府采购合同", "机关资产"],
                        ["mgmt", "db", "supv"]),
    "南充市气象局": (["气象观测", "气象预警", "人工影响天气", "雷电防护", "农业气象"],
                  ["mgmt", "serv", "db", "monitor"]),
    "南充市消防救援支队": (["消防安全重点单位", "消防监督检查", "火灾隐患", "消防水源", "消防车辆装备", "灭火救援"],
                      ["mgmt", "supv", "db", "dispatch", "monitor"]),
    "南充市残疾人联合会": (["残疾人证", "残疾人康复", "残疾人就业", "残疾人托养"], ["mgmt", "serv", "db", "fund"]),
    "南充市总工会": (["工会会员", "困难职工帮扶", "劳模", "职工服务"], ["mgmt", "serv", "db"]),
    "南充市妇女联合会": (["妇女儿童维权", "巾帼创业", "家庭教育"], ["mgmt", "serv", "db"]),
    "中共南充市委组织部": (["干部档案", "干部考核", "人才工作", "党员教育", "基层党组织"], ["mgmt", "db", "eval"]),
    "中共南充市委宣传部": (["网络舆情", "新闻发布", "文明城市创建", "志愿服务"], ["mgmt", "monitor", "db", "eval"]),
    "中共南充市委政法委员会": (["矛盾纠纷", "平安建设", "政法协同办案", "见义勇为"], ["mgmt", "db", "eval"]),
    "南充市税务局": (["税源", "发票", "纳税服务", "税收风险"], ["mgmt", "supv", "db", "serv"]),
    "南充市地方志编纂中心": (["地方志", "年鉴"], ["mgmt", "db"]),
    "南充市投资促进局": (["招商项目", "投资环境", "重点客商"], ["mgmt", "db", "serv"]),
}

# More business objects per department (merged into DEPTS below), so the sample reaches ~2,000 systems.
EXTRA_OBJECTS: dict[str, list[str]] = {
    "南充市人民政府办公室": ["政府常务会议", "市长信箱", "政策文件库", "政府规章", "营商环境评价"],
    "南充市发展和改革委员会": ["项目前期工作", "成品粮油", "电动汽车充电设施", "节能审查", "以工代赈"],
    "南充市经济和信息化局": ["专精特新企业", "工业用电", "清洁生产", "民爆物品", "5G基站"],
    "南充市教育局": ["教师资格", "中小学课后服务", "高考报名", "义务教育入学", "学生体质健康", "校外培训机构"],
    "南充市科学技术局": ["技术合同登记", "科技型中小企业", "科普基地"],
    "南充市公安局": ["特种行业", "保安服务", "大型活动安全", "犯罪线索", "移动警务", "枪支弹药"],
    "南充市公安局交通警察支队": ["停车泊位", "交通流量", "非现场执法", "交通安全宣传"],
    "南充市民政局": ["养老机构", "未成年人保护", "临时救助", "流浪乞讨人员救助", "村务公开"],
    "南充市司法局": ["法治政府建设", "行政执法监督", "仲裁", "安置帮教"],
    "南充市财政局": ["会计人员", "财政投资评审", "专项资金", "行政事业单位内控"],
    "南充市人力资源和社会保障局": ["社保卡", "职称评审", "技工院校", "创业担保贷款", "公共就业服务"],
    "南充市自然资源和规划局": ["不动产测绘", "地籍调查", "城乡规划许可", "卫星遥感监测", "土地整治"],
    "南充市生态环境局": ["大气污染防治", "土壤污染", "噪声", "温室气体排放", "环境信访"],
    "南充市住房和城乡建设局": ["建筑施工安全", "工程质量", "预拌混凝土", "城建档案", "历史建筑", "住房租赁"],
    "南充市城市管理局": ["城市桥梁", "城市内涝", "餐厨垃圾", "城市绿道", "停车收费"],
    "南充市交通运输局": ["交通执法", "农村公路", "驾驶员培训", "汽车维修", "客运站"],
    "南充市水务局": ["水文", "灌区", "城市供水水质", "河湖岸线", "水旱灾害"],
    "南充市农业农村局": ["农村人居环境", "耕地质量", "农民合作社", "农业保险", "生猪生产", "农作物病虫害"],
    "南充市商务局": ["再生资源回收", "汽车流通", "二手车交易", "外贸企业"],
    "南充市文化广播电视和旅游局": ["图书馆", "文化馆", "旅行社", "导游", "演出市场", "应急广播"],
    "南充市卫生健康委员会": ["出生医学证明", "托育机构", "基层医疗卫生", "爱国卫生", "中医药", "健康扶贫"],
    "南充市退役军人事务局": ["双拥工作", "退役士兵安置", "光荣牌"],
    "南充市应急管理局": ["防灾减灾", "灾害信息员", "避难场所", "应急演练", "危险作业"],
    "南充市审计局": ["审计计划", "审计法规", "投资审计"],
    "南充市国有资产监督管理委员会": ["国企财务", "国企改革", "国企招投标"],
    "南充市市场监督管理局": ["食品生产许可", "食品经营许可", "消费者投诉", "商标", "检验检测机构", "小微企业"],
    "南充市体育局": ["青少年体育", "体育社会组织", "运动员注册"],
    "南充市统计局": ["统计名录库", "农业统计", "价格统计"],
    "南充市医疗保障局": ["医保稽核", "长期护理保险", "医疗救助"],
    "南充市林业局": ["森林资源", "湿地", "国有林场", "林业产业"],
    "南充市信访局": ["网上信访", "信访督查", "人民建议征集"],
    "南充市政务服务和公共资源交易服务中心": ["工程建设项目招标", "政府采购交易", "国有产权交易", "土地使用权交易"],
    "南充市大数据中心": ["电子政务外网", "政务数据目录", "数据共享需求", "网络安全态势", "信息化项目评审"],
    "南充市住房公积金管理中心": ["公积金个贷", "公积金资金", "公积金单位"],
    "南充市机关事务管理局": ["公务接待", "机关办公区物业", "节约型机关"],
    "南充市气象局": ["短时临近预报", "气象灾害防御", "突发事件预警信息发布"],
    "南充市消防救援支队": ["消防物联网", "高层建筑消防", "消防宣传教育", "微型消防站"],
    "南充市残疾人联合会": ["辅助器具", "残疾人教育", "残疾人两项补贴"],
    "南充市总工会": ["职工医疗互助", "工会经费", "职工书屋"],
    "南充市妇女联合会": ["妇女儿童发展规划", "婚姻家庭纠纷"],
    "中共南充市委组织部": ["选调生", "年轻干部", "人才公寓"],
    "中共南充市委宣传部": ["意识形态", "理论学习", "新时代文明实践"],
    "中共南充市委政法委员会": ["综治中心", "特殊人群", "政法队伍"],
    "南充市税务局": ["社保费征收", "个人所得税", "税收优惠"],
    "南充市地方志编纂中心": ["史志资料", "名镇名村志"],
    "南充市投资促进局": ["招商引资签约", "外来投资企业服务"],
}
for _d, _objs in EXTRA_OBJECTS.items():
    DEPTS[_d][0].extend(_objs)

GENERIC_FUNCS = ["统计分析", "数据上报", "查询检索", "报表导出", "用户权限管理", "通知公告", "工作台账", "移动端访问",
                 "数据可视化展示", "与省级系统对接", "电子档案", "消息推送"]
STATUSES = ["运行中"] * 17 + ["已停用", "建设中", "整合中"]
LOCATIONS = (["市级政务云（电子政务外网区）"] * 10 + ["市级政务云（互联网区）"] * 3 + ["部门自建机房"] * 3
             + ["省级平台（国省垂管）"] * 2 + ["电子政务内网"])
PREFIXES_BIG = ["南充市", "顺庆区", "高坪区", "嘉陵区", "阆中市", "南部县", "营山县", "蓬安县", "仪陇县", "西充县"]


def _filler(rng: random.Random, depts: dict[str, tuple[list[str], list[str]]], prefix: str, taken: set[str],
            per_object: tuple[int, int]) -> list[System]:
    out: list[System] = []
    for dept, (objects, types) in depts.items():
        d = dept.replace(CITY, prefix, 1) if dept.startswith(CITY) else dept.replace(CITY, prefix)
        for o in objects:
            k = rng.randint(*per_object)
            for t in rng.sample(types, min(k, len(types))):
                suffix, phrases = TYPES[t]
                name = f"{prefix}{o}{suffix}"
                if name in taken:
                    continue
                taken.add(name)
                picks = [p.format(o=o) for p in rng.sample(phrases, min(len(phrases), rng.randint(3, 5)))]
                picks += rng.sample(GENERIC_FUNCS, rng.randint(0, 2))
                out.append(System(
                    name=name, dept=d, functions="、".join(picks), year=rng.randint(2012, 2023),
                    status=rng.choice(STATUSES), location=rng.choice(LOCATIONS),
                ))
    return out


def sample_catalog(seed: int = 20231) -> list[System]:
    """The committed sample: anchors + 南充市 市级 filler (≈2,000 systems)."""
    rng = random.Random(seed)
    taken = {s.name for s in ANCHORS}
    filler = _filler(rng, DEPTS, CITY, taken, (3, 5))
    systems = ANCHORS + filler
    rng.shuffle(systems)
    return systems


def generate(n: int, seed: int = 7) -> list[System]:
    """n systems from the same vocabulary (for benchmarks): 市 and 县区 prefixes, repeated rounds with
    shuffled function phrases and year suffixes once the plain names run out."""
    rng = random.Random(seed)
    taken: set[str] = set()
    out: list[System] = list(ANCHORS)
    taken.update(s.name for s in ANCHORS)
    rnd = 0
    while len(out) < n:
        for prefix in PREFIXES_BIG:
            batch = _filler(rng, DEPTS, prefix, taken, (3, 7))
            if rnd:
                batch = [System(f"{s.name[: -2]}（{rng.randint(2012, 2023)}版）{s.name[-2:]}" if rng.random() < 0.5
                                else s.name.replace(prefix, prefix + rng.choice(["", "智慧", "数字", "新"]), 1) + f"{rnd}期",
                                s.dept, s.functions, s.year, s.status, s.location) for s in batch]
            out.extend(batch)
            if len(out) >= n:
                break
        rnd += 1
        taken = set() if rnd > 1 else taken
    return out[:n]


def rows(systems: list[System]) -> list[list[str]]:
    out = []
    codes: dict[str, int] = {}
    dept_ids = {d: i + 1 for i, d in enumerate(sorted({s.dept for s in systems}))}
    for i, s in enumerate(systems, start=1):
        did = dept_ids[s.dept]
        codes[s.dept] = codes.get(s.dept, 0) + 1
        code = f"5113-{did:03d}-{codes[s.dept]:03d}"
        out.append([str(i), code, s.name, s.dept, s.functions, str(s.year), s.status, s.location,
                    "是" if s.common else "否"])
    return out


def write_csv(systems: list[System], path: Path, encoding: str = "gbk") -> None:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(rows(systems))
    path.write_bytes(buf.getvalue().encode(encoding))


def xlsx_bytes(systems: list[System], title: str | None = None) -> bytes:
    """A workbook as an office would keep it: a title row above the header, then the systems."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "系统目录"
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    ws.append(HEADER)
    for r in rows(systems):
        ws.append([int(r[0]), *r[1:5], int(r[5]), *r[6:]])
    for col, width in zip("ABCDEFGHI", (6, 14, 34, 26, 60, 10, 10, 24, 12), strict=True):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return _deterministic_zip(buf.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """openpyxl stamps the current time into docProps and zip entries; fix both so output is stable."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2023-07-01T00:00:00Z", body)
            zi = zipfile.ZipInfo(info.filename, date_time=(2023, 7, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the committed files differ")
    args = ap.parse_args(argv)
    systems = sample_catalog()
    names = [s.name for s in systems]
    assert len(names) == len(set(names)), "system names must be unique"
    xb = xlsx_bytes(systems, title="南充市市级政务信息系统目录（2023年版）")
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    w.writerows(rows(systems))
    cb = buf.getvalue().encode("gbk")
    if args.check:
        ok = XLSX.is_file() and XLSX.read_bytes() == xb and CSV.is_file() and CSV.read_bytes() == cb
        print("up to date" if ok else "stale: run corpus/catalog/make_catalog.py")
        return 0 if ok else 1
    XLSX.write_bytes(xb)
    CSV.write_bytes(cb)
    print(f"{len(systems)} systems -> {XLSX.name} ({len(xb) // 1024} KB), {CSV.name} ({len(cb) // 1024} KB, GBK)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
