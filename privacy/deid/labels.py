"""The words notes put before a number, and what the number after each is.

A number after an identifier label (``社保卡号``, ``门诊号``, ``证件号码``…) is that identifier,
whatever its format: card numbers differ between issuers and years, so the label, not the shape,
decides. A number after a *look-alike* label (``发票号``, ``批号``, ``床号``…) is kept even when its
shape would pass for an identifier. Labels are matched on the normalised text (ASCII punctuation,
half-width letters).
"""

from __future__ import annotations

from privacy.deid.entities import (
    BANK_CARD,
    CONTACT_ID,
    DATE_OF_BIRTH,
    EMAIL,
    HOSPITAL_RECORD_NO,
    ID_NUMBER,
    MEDICAL_CARD,
    PHONE,
    RESIDENT_ID,
)

#: label → the identifier the number after it is; longest label wins (住院病案号 before 病案号)
IDENTIFIER_LABELS: dict[str, str] = {
    **dict.fromkeys(
        "身份证号码 身份证号 身份证 身份证件号码 身份证件号 身份号码 公民身份号码 公民身份证号 居民身份证号 "
        "居民身份证 证件号码 证件号 证件 证号 身份ID "
        # Taiwan (身分證字號, 統一編號) and Hong Kong / Macao identity cards
        "身分证 身分证号 身分证号码 身分证字号 统一编号 统一证号 居留证 居留证号 香港身份证 澳门身份证 HKID "
        # round 6: Macau's resident identity card (Bilhete de Identidade de Residente)
        "BIR 澳门居民身份证 澳门居民身份证号 澳门身份证号 BIRM".split(),
        RESIDENT_ID,
    ),
    **dict.fromkeys(
        "社保卡号 社保卡 社会保障卡号 社会保障卡 社会保障号 社会保障号码 社保号 社保号码 社保编号 社保账号 "
        "医保卡号 医保卡 医疗保险卡号 医疗保险卡 医保号 医保号码 医保编号 医保编码 医保账号 医保个人编码 "
        "医保个人编号 医保个人账号 医保个人账户 个人编码 个人编号 个人医保编号 个人社保号 参保号 参保编号 参保人编号 "
        "参保号码 保险号 医保凭证号 电子凭证号 医保电子凭证 健康卡号 电子健康卡号 电子健康卡 居民健康卡号 "
        "居民健康卡 医疗卡号 医疗证号 市民卡号 市民卡 卡号 社保电脑号 电脑号 人员编号 人员编码 个人社保编号 社保个人编号 "
        "医保人员编号 参保人员编号 保障号 社会保障号码 医保码 医保电子凭证号 电子凭证 社保卡识别码 卡识别码 "
        "社保卡序列号 医保卡序列号 卡序列号 芯片号 卡面号 医疗证 医疗保险证 医疗保险证号 公费医疗证 公费医疗证号 "
        "新农合证号 新农合号 农合证号 合作医疗证 合作医疗证号 合作医疗号 就医记录册 就医记录册号 记录册号 "
        "参保凭证号 参保人识别号 参保人员识别号 个人识别号 医疗证号 居民医保号 职工医保号 "
        # a commercial policy is the person's own account with an insurer (沪惠保保单号, 保险单号)
        "保单号 保单号码 保单编号 保险单号 保险单号码 投保单号 保险合同号 保险卡号 理赔账号".split(),
        MEDICAL_CARD,
    ),
    **dict.fromkeys(
        ["Card No", "Card No.", "Card Number", "card no", "Card #", "Insurance No", "Insurance No.", "Insurance Number",
         "Insurance ID", "Insurance Card", "Insurance Card No", "Member ID", "Member No", "Membership No",
         "Medical Insurance No", "Medical Card No", "MI No", "SSC No", "Social Security No", "Social Security Number",
         "Social Security Card", "SSN", "Health Card No", "Beneficiary ID", "Subscriber ID"],
        MEDICAL_CARD,
    ),
    **dict.fromkeys(
        ["ID No", "ID No.", "ID Number", "ID number", "ID Card", "ID card", "ID Card No", "Identity No",
         "Identity Card", "Resident ID", "National ID", "Citizen ID"],
        RESIDENT_ID,
    ),
    **dict.fromkeys(
        ["Passport No", "Passport No.", "Passport Number", "Permit No", "Travel Permit", "Driver License",
         "Driving Licence"],
        ID_NUMBER,
    ),
    **dict.fromkeys(
        ["Visit No", "Admission No", "Record No", "Medical Record No", "Chart No", "Case Number", "Patient No",
         "Patient Number", "Inpatient Number", "Outpatient Number", "Hospital Number", "Registration No"],
        HOSPITAL_RECORD_NO,
    ),
    **dict.fromkeys(["Account No", "Account No.", "Account Number", "Acct No", "Bank Card", "Bank Account",
                     "Card Account",
                     # session 10: how US and UK statements and remittance forms print an account number
                     "Acct#", "Acct #", "Acct. No", "Acct. No.", "Acct No.", "Account #", "Account#", "A/C No",
                     "A/C No.", "Beneficiary Account", "Beneficiary Acct"], BANK_CARD),
    **dict.fromkeys(
        "护照 护照号 护照号码 通行证 港澳通行证 往来港澳通行证 台胞证 台湾居民来往大陆通行证 回乡证 军官证 士兵证 "
        "警官证 居住证 居住证号 驾驶证 驾驶证号 驾照 户口簿 户口本 户口簿号 出生证 出生证号 出生医学证明 "
        "出生医学证明编号 残疾证 残疾人证 残疾证号 低保证 低保证号 永久居留证 外国人永久居留身份证 永居证 "
        "Passport passport "
        # round 4: every identity document of the armed forces and police (军官证 2016 form 军1234567,
        # older ones 南字第123456号), of foreigners and of travellers, with or without 号/件
        "军人证件 军人证 军官证件 军官证号码 士兵证件 文职干部证 文职人员证 警官证件 武警警官证 军人身份证 "
        "军人保障卡 军人保障卡号 学员证 离休证 退休证 护照号码 旅行证 出入境证件 外国人居留证 居留许可 "
        "港澳居民居住证 台湾居民居住证 来往内地通行证 回乡证号 台胞证号 签证号".split(),
        ID_NUMBER,
    ),
    # session 10: a foreigner's registration card in Korea (외국인등록증; its number 외국인등록번호 is laid
    # out as a Korean resident registration number), as Chinese notes name it
    **dict.fromkeys(
        "外国人登录证 外国人登录证号 外国人登录证号码 韩国外国人登录证 登录证号 登录证号码 外国人登录号 外国人登录号码 "
        "外国人登记证 外国人登记证号 外国人注册证 외국인등록번호 외국인등록증".split()
        + ["ARC No", "ARC No.", "Alien Registration No", "Alien Registration Number"],
        RESIDENT_ID,
    ),
    **dict.fromkeys(
        "住院号 住院号码 住院病案号 住院编号 门诊号 门诊号码 门诊编号 门诊病历号 门急诊号 急诊号 病案号 病历号 "
        "病案编号 病历编号 就诊号 就诊卡号 就诊卡 就诊编号 诊疗卡号 诊疗卡 登记号 患者ID 病人ID 患者编号 病人编号 "
        "患者号 病人号 ID号 ID 档案号 健康档案号 病历卡号 挂号号 影像号 放射号 PACS号 PACS "
        "MRN MRNo 病历ID 住院ID 门诊ID "
        # the serial of an admission or a visit identifies the patient's stay (not a payment's)
        "住院流水号 门诊流水号 就诊流水号 挂号流水号 住院次号 健康档案编号 档案编号 "
        # round 4: the master patient index, a patient's unique number on any HIS, the barcode of
        # a wristband or of the record (its Code 39 text line: *ZY7122891*)
        "EMPI EMPI号 EMPIID MPI 主索引 主索引号 患者主索引 患者主索引号 主索引ID 患者索引号 索引号 患者唯一号 "
        "唯一号 患者唯一标识 唯一标识号 患者标识 患者标识号 患者卡号 HIS号 His号 HIS码 就诊ID 病人唯一号 "
        "腕带 腕带号 腕带码 腕带条码 腕带编号 手腕带 住院号条码 病案号条码 门诊号条码 病历号条码 就诊条码 "
        "患者条码 病人条码 住院条码 档案号码 病案首页号 居民健康档案号 居民健康档案编号 健康档案号码 "
        "IP号 OP号 住院登记号 "
        # round 6: the numbers of a mother's or a child's health record book (母子健康手册, 孕产妇保健手册,
        # 建册号: the antenatal file opened for her), one per person like a record number
        "母子健康手册号 母子健康手册编号 母子手册号 孕产妇保健手册号 保健手册号 手册号 手册编号 孕册号 孕册编号 建册号 "
        "建档号 孕产妇编号 孕妇编号 产检编号 儿保号 儿保编号 儿童保健号 "
        # session 10: a home hospital bed (家庭病床) is opened in a community centre's register (建床)
        "家庭病床号 家庭病床编号 家床号 家床编号 建床号 建床编号".split()
        + ["MR No", "PACS ID", "Inpatient No", "Outpatient No", "Hospital No", "Case No", "Patient ID",
           "EMPI ID", "EMPI No", "MPI ID", "Master Patient Index", "Wristband", "Wristband No", "Barcode ID"],
        HOSPITAL_RECORD_NO,
    ),
    **dict.fromkeys(
        "银行卡号 银行卡 银行账号 银行帐号 银行账户 账号 帐号 账户 帐户 借记卡号 借记卡 储蓄卡号 储蓄卡 "
        "信用卡号 信用卡 工资卡号 工资卡 收款账号 收款卡号 开户账号 银联卡号 银联卡".split(),
        BANK_CARD,
    ),
    **dict.fromkeys(
        "电话 电话号码 联系电话 联系方式 联系号码 手机 手机号 手机号码 移动电话 座机 座机号 宅电 固话 家庭电话 "
        "单位电话 办公电话 紧急联系电话 来电号码 号码 Tel TEL tel Phone phone Mobile mobile Mob".split(),
        PHONE,
    ),
    **dict.fromkeys("邮箱 电子邮箱 电子邮件 邮件 Email email E-mail e-mail".split(), EMAIL),
    **dict.fromkeys(["Policy No", "Policy No.", "Policy Number", "Policy #"], MEDICAL_CARD),
    # session 10 (heldout11): a 长期护理保险 (长护险) needs assessment is applied for by one person, and
    # its application / acceptance / assessment number is that person's (受理号 alone stays a case's)
    **dict.fromkeys(
        "长护险受理号 长护险评估编号 长护险评估号 长护险申请号 长护险编号 长护险评估申请号 长护评估编号 长护评估号 "
        "长护险受理编号 长期护理保险评估编号 长期护理保险受理号 护理需求评估编号 评估申请号 评估申请编号".split(),
        MEDICAL_CARD,
    ),
    # an emergency department's observation stay (留观) is numbered like an admission
    **dict.fromkeys("留观号 留观号码 留观编号 留观病历号 急诊留观号 急诊留观编号 留观病案号".split(), HOSPITAL_RECORD_NO),
    # a Malaysian MyKad ("IC") and a Thai citizen ID, as Chinese notes name them
    **dict.fromkeys(
        "MyKad MyKad号 IC号码 IC号 马来西亚身份证 马来西亚身份证号 泰国身份证 泰国身份证号 泰国公民身份证 "
        "泰国公民身份证号".split() + ["MyKad No", "MyKad No.", "IC No", "IC No.", "NRIC No"],
        RESIDENT_ID,
    ),
    # a bank account's "A/C" after the bank's name
    **dict.fromkeys(["Maybank A/C", "KBank A/C", "Bank A/C", "Maybank 账号", "Savings A/C"], BANK_CARD),
}

#: labels of an instant-messaging or social account: the handle after one (letters, digits,
#: ``_ - .``) is the person's contact, whatever its shape (wxid_…, a QQ number, a nickname_1985)
CONTACT_LABELS = (
    "QQ QQ号 QQ号码 qq qq号 Qq 扣扣 扣扣号 企鹅号 微信 微信号 微信号码 微信ID 威信 薇信 V信 v信 VX vx Vx WX wx "
    "weixin Weixin WeChat Wechat wechat WECHAT 微博 微博号 钉钉 钉钉号 抖音 抖音号 快手号 飞书 "
    "WhatsApp Whatsapp Telegram Skype LINE Kakao KakaoTalk Viber Signal Facebook Instagram "
    # round 5: the platforms people post on (a dispute record names where a relative posted) and
    # the names of an account, which is the person's whatever it is called
    "新浪微博 微博账号 微博名 微博昵称 小红书 小红书号 红书号 快手 B站 b站 哔哩哔哩 bilibili Bilibili 知乎 豆瓣 "
    "视频号 微信视频号 贴吧 百度贴吧 头条号 今日头条 西瓜视频 微信昵称 微信名 网名 网络昵称 用户名 账号名 支付宝 "
    "Twitter twitter TikTok Tiktok YouTube Youtube Threads Reddit LinkedIn 领英 Weibo weibo Douyin douyin "
    # round 7: an enterprise messaging account (企业微信 defaults it to the pinyin of the name)
    "企业微信 企业微信号 企业微信账号 企业微信ID 企微 企微号 企微账号 WeCom Wecom wecom 钉钉账号 飞书号 飞书账号 "
    # session 10: Taobao's messenger (阿里旺旺: the shop's buyer account, tb… by default) and Skype
    "旺旺 旺旺号 淘宝旺旺 阿里旺旺 淘宝账号 淘宝帐号 淘宝ID 淘宝号 淘宝会员名 skype SKYPE "
    # session 10 (heldout11): a bilibili account's numeric UID (space.bilibili.com/<UID>)
    "B站UID b站UID B站账号UID B站ID 哔哩哔哩UID 哔哩哔哩ID bilibiliUID 抖音UID 快手UID 微博UID"
).split() + ["WeChat ID", "Wechat ID", "QQ No", "Line ID", "LINE ID", "X账号", "推特"]
#: labels of accounts named by a nickname (微博, 小红书, B站…): the handle may be Chinese
#: (@爱吃鱼的大橙子, 微博：努力的阿强), an ``@`` before it or not
SOCIAL_LABELS = (
    "微博 新浪微博 微博号 微博账号 微博名 微博昵称 小红书 小红书号 红书号 抖音 抖音号 快手 快手号 B站 b站 哔哩哔哩 "
    "bilibili Bilibili 知乎 豆瓣 视频号 微信视频号 贴吧 百度贴吧 头条号 今日头条 西瓜视频 微信昵称 微信名 网名 网络昵称 "
    "Weibo weibo Douyin douyin 推特 Twitter twitter TikTok Tiktok Instagram"
).split()

#: labels of a date of birth (the date after them is one, in any common form)
DOB_LABELS = (
    "出生日期 出生年月日 出生年月 出生时间 出生年份 出生于 出生在 出生日 生日 生于 出生 生辰 诞生于 生年月日 "
    "DOB D.O.B. D.O.B YOB Birthday Birthdate Born b."
).split() + ["Date of birth", "Date of Birth", "date of birth", "Birth date", "Birth Date", "born on", "born in",
             "Year of birth", "year of birth", "Birth year"]

#: labels whose number is *not* a personal identifier (kept: the lab needs them or they are
#: harmless); a shape-only match inside the number after one of these is dropped
DECOY_LABELS = (
    "发票号 发票号码 发票代码 票据号 票据号码 收据号 批号 批次号 生产批号 产品批号 批准文号 国药准字 注册证号 "
    "订单号 流水号 交易号 交易流水号 结算流水号 结算号 单号 业务号 床号 床位号 房间号 标本号 样本号 条码 条码号 "
    "检验号 检验单号 检查号 报告号 报告单号 申请单号 处方号 医嘱号 药品编码 药品代码 项目编码 收费编码 诊断编码 "
    "疾病编码 手术编码 ICD 医保目录编码 耗材编码 器械编号 设备编号 序列号 型号 规格 版本号 机构编码 机构代码 "
    "医院编码 科室编码 医师编码 医师工号 工号 执业证号 统一社会信用代码 信用代码 合同号 案件号 理赔号 理赔案件号 "
    "报案号 赔案号 "
    # session 10: a 代煎 / 膏方 processing number names the batch a pharmacy boils, not the patient
    "代煎号 代煎单号 代煎编号 膏方编号 膏方号 膏方单号 煎药号 煎药单号 加工编号 "
    # codes of a settlement, a drug pack or a device, not of a person: 结算ID, 药品追溯码 (20 digits
    # scanned at dispensing), 药品本位码, 医保药品编码, UDI
    "结算ID 结算编号 结算单号 交易ID 订单ID 追溯码 药品追溯码 溯源码 监管码 电子监管码 本位码 药品本位码 "
    "医保药品编码 医保药品代码 医保耗材编码 医保项目编码 医保目录编号 UDI DI码 条形码 二维码 "
    # round 4: numbers of a specimen, a blood unit, a parcel or a trial's code, not of the person
    "病理号 病理编号 冰冻病理号 快速病理号 病理检查号 病理会诊号 切片号 蜡块号 细胞学号 免疫组化号 会诊号 "
    "血袋号 血袋编号 献血码 献血编号 输血编号 快递单号 物流单号 运单号 快递号 处方编号 处方单号 "
    "筛选号 随机号 随机编号 受试者编号 受试者筛选号 入组号 药物编号 药盒号 标本条码 检验条码 "
    # round 5: numbers of a case handled about the patient (a complaint, a dispute, a petition, an
    # adverse event, a service ticket), one per case like a claim's: the hospital's, not the person's
    "投诉编号 投诉号 投诉单号 纠纷编号 纠纷号 纠纷案号 信访编号 信访号 申诉编号 举报编号 受理号 受理编号 "
    "工单号 工单编号 服务单号 事件编号 不良事件编号 上报编号 回访编号 调度单号 任务单号 取药号 叫号 "
    # round 6: a certificate's or a leave note's own serial (诊断证明书 编号): the document's, not the person's
    "证明编号 证明书编号 证明号 诊断证明编号 诊断证明书编号 诊断书编号 病假单号 病假条编号 假条编号 休假证明编号 "
    "证书编号 证书号 "
    # round 7: a message's or a form's own number (an SMS gateway's 回执, an HL7 message control ID,
    # a hospital form's code): the message's or the document's, not the person's
    "回执 回执号 回执编号 回执码 消息ID 消息号 消息控制号 控制号 文件编号 文件号 文档编号 表单编号 表单号 表单代码 "
    "模板号 模板编号 模板代码 "
    # session 10: the fields of a China UnionPay POS slip (签购单): the merchant's, the terminal's and
    # the transaction's numbers (商户号 MERCHANT NO., 终端号 TERMINAL NO., 凭证号 VOUCHER NO., 参考号
    # REFERENCE NO., 授权码 AUTH NO.); a venue QR code's number (场所码); the token a 医保电子凭证 yields
    # for one settlement (ecToken); a bank's routing codes (SWIFT / BIC, the ABA routing number)
    "商户号 商户编号 商户代码 终端号 终端编号 凭证号 参考号 系统参考号 检索参考号 交易参考号 授权码 授权号 "
    "场所码 场所码编号 场所编码 场所编号 ecToken EcToken 电子凭证令牌 "
    "SWIFT BIC ABA RTN 汇款路线号 路由号 银行路由号"
).split() + ["医保电子凭证 ecToken", "电子凭证 ecToken", "SWIFT Code", "SWIFT code", "BIC Code", "ABA No",
             "Routing No", "Routing No.", "Routing Number", "ABA Routing", "MERCHANT NO", "TERMINAL NO",
             "TRACE NO", "REF NO", "AUTH NO", "BATCH NO", "VOUCHER NO"]

#: every label of a number, for one alternation (decoy labels included, so that the longest
#: label at a position decides: 医嘱号 is a decoy although 嘱号 is not a label)
def label_kinds() -> dict[str, str | None]:
    """label → identifier type, or None for a look-alike label."""
    kinds: dict[str, str | None] = dict.fromkeys(DECOY_LABELS)
    kinds.update(IDENTIFIER_LABELS)
    return kinds


__all__ = ["CONTACT_ID", "CONTACT_LABELS", "DATE_OF_BIRTH", "DECOY_LABELS", "DOB_LABELS", "ID_NUMBER", "IDENTIFIER_LABELS", "label_kinds"]
