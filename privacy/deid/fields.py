"""The keys of structured fragments pasted into notes, and what the value under each is.

A HIS export row (``XM=王建华;SFZH=…;ZYH=…``), an interface log (``{"xm":"…","ybkh":"…"}``), a
form's key and value (``patientId: 7a01…``, ``CSRQ: 1965-12-27``) or a table's column header
labels its value as ``身份证号：`` does in prose. HIS column names are the pinyin initials of the
Chinese label (``sfzh`` 身份证号, ``zyh`` 住院号, ``ybkh`` 医保卡号, ``csrq`` 出生日期, ``lxdh`` 联系电话)
or English words in any case and joining (``patientId``, ``patient_id``, ``PATIENT-ID``), so a key
is folded (lower case; ``_``, ``-``, ``.`` and spaces dropped) and looked up in :data:`FIELD_KEYS`.
A key that names a look-alike (``fph`` 发票号, ``ph`` 批号, ``ddh`` 订单号…) maps to None: its value
is recorded as a look-alike, as after ``发票号：``.

The pinyin abbreviations are derived from the Chinese labels (:func:`pinyin_initials`) for the
labels written with common characters, and listed by hand for the forms HIS vendors use.
"""

from __future__ import annotations

from functools import lru_cache

from privacy.deid.entities import (
    ADDRESS,
    BANK_CARD,
    CONTACT_ID,
    DATE_OF_BIRTH,
    EMAIL,
    HOSPITAL_RECORD_NO,
    MEDICAL_CARD,
    PERSON,
    PHONE,
    RESIDENT_ID,
)


def _keys(words: str, kind: str | None) -> dict[str, str | None]:
    return dict.fromkeys(words.split(), kind)


#: folded key → what its value is (None: a look-alike's key)
FIELD_KEYS: dict[str, str | None] = {
    # 身份证号 / 证件号码 / 公民身份号码 and English
    **_keys("sfzh sfzhm sfz sfzjhm zjhm zjh gmsfhm gmsfzh sfzjh sfzmhm sfid sfzid idcard idcardno idcardnum idno "
            "idnumber identityno identitycard identitycardno residentid nationalid citizenid certno certid "
            "certificateno zjhao hzsfzh brsfzh lxrsfzh jhrsfzh shenfenzheng shenfenzhenghao shenfenzhenghaoma "
            "zhengjianhao zhengjianhaoma idcardnumber idcardid identityid residentidno", RESIDENT_ID),
    # 医保卡号 / 社保卡号 / 个人编号 / 参保号 / 健康卡号 and English
    **_keys("ybkh sbkh ybh sbh ybkhm sbkhm ybbh sbbh ybzh sbzh ybgrbh grbh grbm gbbm cbh cbbh cbrbh cbrid ylzh ylzh "
            "jkkh dzjkkh jmjkkh sbkid ybkid ybid sbid shbzh shbzkh kh kahao cardno cardnum cardnumber insuranceno "
            "insuranceid insurancecardno memberid memberno ssn sscardno socialsecurityno medicalcardno mcardno "
            "ybpzh dzpzh yldyh xnhzh hzybkh brybkh yibaokahao shebaokahao yibaohao shebaohao yibaoka shebaoka "
            "insurancecardnumber socialsecuritycardno sscardnumber medicalcardnumber healthcardno", MEDICAL_CARD),
    # 住院号 / 门诊号 / 病历号 / 病案号 / 就诊号 / 就诊卡号 / 患者ID and English
    **_keys("zyh zyhm zybh zyid mzh mzhm mzbh mzid jzh jzhm jzbh jzid jzkh zlkh zlh mzkh blh blhm blbh bah bahm "
            "babh basyh jzlsh zylsh mzlsh ghlsh brid brbh brh hzid hzbh hzh patientid patid ptid pid mrn mrno "
            "medicalrecordno recordno caseno visitno visitid admissionno admissionid inpatientno outpatientno "
            "hospitalno empi empiid mpi mpiid hisid dah jkdah dabh yxh fsh pacsid pacsno zsyh wdh wdm sch "
            "registrationno regno clinicno ipno opno userid zhuyuanhao menzhenhao binglihao bingan binganhao "
            "jiuzhenhao jiuzhenkahao hospno hospid hospitalid inpno inpid admno admid chartno caseid medrecno "
            "medicalrecordid recno mrnno patno patientno patientnumber inpatientid outpatientid visitnumber",
            HOSPITAL_RECORD_NO),
    # 姓名 / 患者姓名 / 联系人 / 监护人 / 家属 / 经办人 / 操作员 and English
    **_keys("xm xingming hzxm brxm jzrxm cbrxm lxr lxrxm jjlxr jsxm jhr jhrxm dlr dlrxm wtr wtrxm ysxm hsxm yhxm "
            "czy czyxm czr lrr lry jbr shr shys zzys zrys sjys kdys bgys name fullname patientname ptname patname "
            "xingming huanzhexingming lianxiren realname truename customername insuredname holdername "
            "contactname guardian guardianname username doctorname nursename operator operatorname khm",
            PERSON),
    # 联系电话 / 手机号 / 电话 and English
    **_keys("lxdh sjh sjhm dh dhhm jtdh lxrdh jsdh jhrdh jjlxrdh gddh yddh lxfs tel telno telephone phone "
            "phoneno phonenumber mobile mobileno mobilephone cellphone contactphone dianhua shouji shoujihao "
            "lianxidianhua telnumber mobilenumber contacttel homephone", PHONE),
    # 出生日期 / 出生年月 / 出生时间 and English
    **_keys("csrq csny csnyr cssj csrqsj birthday birthdate dob dateofbirth birth borndate chushengriqi birthdt "
            "dobdt birthdatetime birthtime", DATE_OF_BIRTH),
    # 家庭地址 / 住址 / 现住址 / 户籍地址 / 联系地址 and English
    **_keys("dz jtdz jtzz zz xzz xjzdz hjdz hkdz jzdz lxdz txdz address addr homeaddress dizhi zhuzhi jiatingzhuzhi "
            "contactaddress", ADDRESS),
    # 银行卡号 / 银行账号 / 账号 and English
    **_keys("yhkh yhzh yhkzh skzh khzh zh bankcard bankcardno bankaccount accountno acctno yinhangkahao "
            "bankcardnumber bankaccountno accountnumber", BANK_CARD),
    **_keys("wx wxh qq qqh wechat wechatid weixin", CONTACT_ID),
    **_keys("email mail yx dzyx yxdz", EMAIL),
    # look-alikes: 发票号, 批号, 订单号, 流水号, 结算号, 床号, 标本号, 检验号, 检查号, 报告号, 申请单号, 处方号,
    # 医嘱号, 药品 / 项目 / 收费 / 诊断 / 机构 / 科室编码, 工号, 条码, 追溯码, and English
    **_keys("fph fphm fpdm pjh ph pch scph cpph pzwh ddh ddbh lsh jylsh jslsh jsh jsid jsdh jyid cwh ch bch "
            "bbh bbtm yph jyh jydh jch jcdh bgh bgdh bgdbh sqdh sqh cfh cfbh yzh yzid ypbm ypdm xmbm xmdm sfbm "
            "sfxmbm zdbm zddm icd icd10 ssbm jgbm jgdm yybm yydm ksbm ksdm ysbm ysgh gh tm tmh ewm zsm jgm bwm "
            "orderid orderno invoiceno invoiceid batchno lotno specimenid specimenno sampleid sampleno barcode "
            "reportno reportid deptcode deptid bedno bedid itemcode drugcode traceid requestid sessionid msgid "
            "messageid transid txnid transactionid settleid settlementid serialno", None),
}


def fold_key(key: str) -> str:
    """A key as :data:`FIELD_KEYS` lists it: lower case, ``_ - .`` and spaces dropped."""
    return key.lower().replace("_", "").replace("-", "").replace(".", "").replace(" ", "")


@lru_cache(maxsize=1)
def chinese_keys() -> dict[str, str | None]:
    """Chinese keys (a JSON row's ``"身份证号"``, a table header): every number label, the name and
    birth labels."""
    from privacy.deid.labels import DOB_LABELS, label_kinds
    from privacy.deid.recognizers.cn_labelled_number_recognizer import NAME_HEADERS

    keys: dict[str, str | None] = dict(label_kinds())
    keys.update(dict.fromkeys(NAME_HEADERS, PERSON))
    keys.update(dict.fromkeys((w for w in DOB_LABELS if not w.isascii()), DATE_OF_BIRTH))
    keys.update(dict.fromkeys("地址 住址 家庭地址 家庭住址 现住址 户籍地址 联系地址 居住地址 通讯地址".split(), ADDRESS))
    return keys


def key_kind(key: str) -> tuple[bool, str | None]:
    """(known, what the value under ``key`` is): known is False for a key that names nothing we know."""
    if key.isascii():
        folded = fold_key(key)
        return (folded in FIELD_KEYS, FIELD_KEYS.get(folded))
    keys = chinese_keys()
    return (key in keys, keys.get(key))
