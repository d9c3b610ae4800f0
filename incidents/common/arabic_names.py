"""Arabic names of Syria's governorates and districts, by the p-code the boundaries are loaded under.

The UNHCR boundary files have no Arabic names (../shared/data/SOURCES.md). No package on PyPI or npm
reachable from here carries them (pycountry's iso-codes have no Arabic for Syria's ISO 3166-2 codes),
so they are written here by hand in the official Syrian forms: the names the Syrian Central Bureau of
Statistics and OCHA's Common Operational Dataset for Syria (COD-AB, fields ADM1_AR/ADM2_AR, CC BY-IGO)
use for these units. Place names are facts, not anyone's expression; the list is ours, attributed in
docs/ARABIC.md. Districts (mintaqa) share the name of their seat town. Features the UNHCR file gives no
p-code are loaded as UNHCR-GID-<gid>; the three the file names "Name Unknown" are "اسم غير معروف" (the
filter adds their governorate).
"""

from django.utils.translation import get_language


GOVERNORATES_AR = {
    "SYR001": "دمشق",
    "SYR002": "حلب",
    "SYR003": "ريف دمشق",
    "SYR004": "حمص",
    "SYR005": "حماة",
    "SYR006": "اللاذقية",
    "SYR007": "إدلب",
    "SYR008": "الحسكة",
    "SYR009": "دير الزور",
    "SYR010": "طرطوس",
    "SYR011": "الرقة",
    "SYR012": "درعا",
    "SYR013": "السويداء",
    "SYR014": "القنيطرة",
}

DISTRICTS_AR = {
    "SYR001002": "دوما",
    "SYR002001": "جبل سمعان",
    "SYR002002": "الباب",
    "SYR002003": "عفرين",
    "SYR002004": "أعزاز",
    "SYR002005": "منبج",
    "SYR002006": "عين العرب",
    "SYR002007": "السفيرة",
    "SYR002008": "جرابلس",
    "SYR003003": "القطيفة",
    "SYR003004": "التل",
    "SYR003005": "يبرود",
    "SYR003006": "النبك",
    "SYR003007": "الزبداني",
    "SYR003008": "قطنا",
    "SYR003009": "داريا",
    "SYR004001": "حمص",
    "SYR004002": "القصير",
    "SYR004003": "تلكلخ",
    "SYR004004": "الرستن",
    "SYR004005": "تدمر",
    "SYR004006": "المخرم",
    "SYR005001": "حماة",
    "SYR005002": "السقيلبية",
    "SYR005003": "السلمية",
    "SYR005004": "مصياف",
    "SYR005005": "محردة",
    "SYR006001": "اللاذقية",
    "SYR006002": "جبلة",
    "SYR006003": "الحفة",
    "SYR006004": "القرداحة",
    "SYR007001": "إدلب",
    "SYR007002": "معرة النعمان",
    "SYR007003": "حارم",
    "SYR007005": "أريحا",
    "SYR008001": "الحسكة",
    "SYR008002": "القامشلي",
    "SYR008003": "المالكية",
    "SYR008004": "رأس العين",
    "SYR009001": "دير الزور",
    "SYR009002": "البوكمال",
    "SYR009003": "الميادين",
    "SYR010001": "طرطوس",
    "SYR010002": "بانياس",
    "SYR010003": "صافيتا",
    "SYR010004": "الدريكيش",
    "SYR010005": "الشيخ بدر",
    "SYR011001": "الرقة",
    "SYR011002": "تل أبيض",
    "SYR012001": "درعا",
    "SYR012002": "الصنمين",
    "SYR012003": "إزرع",
    "SYR013001": "السويداء",
    "SYR013002": "صلخد",
    "SYR013003": "شهبا",
    "SYR014001": "القنيطرة",
    "SYR014002": "فيق",
    # Features without a UNHCR p-code (loaded as UNHCR-GID-<gid>, incidents/management/commands/load_boundaries.py).
    "UNHCR-GID-15186": "مدينة دمشق",
    "UNHCR-GID-15163": "الغوطة",
    "UNHCR-GID-15185": "مركز ريف دمشق",
    "UNHCR-GID-15189": "داريا / المركز",
    "UNHCR-GID-15162": "الغاب",
    # GAUL's "Mesiaf" (gid 15205, 182 km², centred 35.36 N 36.30 E) is a second district beside Masyaf
    # (SYR005004, 774 km², 35.07 N), both in Hama; Arabic writes both مصياف, so this one carries where it
    # lies: "Masyaf (northern part)". Two districts never share an Arabic label (tested).
    "UNHCR-GID-15205": "مصياف (القسم الشمالي)",
    "UNHCR-GID-15165": "جسر الشغور",
    "UNHCR-GID-15218": "الطبقة",
    "UNHCR-GID-15207": "اسم غير معروف",
    "UNHCR-GID-15208": "اسم غير معروف",
    "UNHCR-GID-15209": "اسم غير معروف",
}

ARABIC_AREA_NAMES = {**GOVERNORATES_AR, **DISTRICTS_AR}


def arabic_area_name(pcode):
    """The Arabic name of the governorate or district loaded under `pcode`, or "" when we have none."""
    return ARABIC_AREA_NAMES.get(pcode or "", "")

# Month names as Syrian outlets write them (the Levantine calendar names: كانون الثاني for January),
# used by the public date labels built in SQL (incidents/public/fields.py) and, through locale/ar,
# by Django's own date formatting, so a page never mixes two sets of names.
ARABIC_MONTHS = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران",
                 "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]


def name_in_reader_language(area, field="name"):
    """A governorate's, district's or place's name in the page's language: its Arabic name on Arabic
    pages where we have one, else the English name. `area` is a model with name/name_ar, or a dict
    row with `<field>` and `<field>_ar`; None or "" gives ""."""
    if area in (None, ""):
        return ""
    if isinstance(area, dict):
        english, arabic = area.get(field) or "", area.get(f"{field}_ar") or ""
    else:
        english, arabic = getattr(area, "name", "") or "", getattr(area, "name_ar", "") or ""
    return arabic if get_language() == "ar" and arabic else english


def area_labels(areas):
    """{area: label} for governorates or districts of one level as the reader tells them apart: the name
    in the page's language (name_in_reader_language), followed by its governorate, "اسم غير معروف (حماة)",
    where two areas of the list share that name. Used where areas are chosen by name (the filter)."""
    areas = list(areas)
    names = [name_in_reader_language(area) for area in areas]
    shared = {name for name in names if names.count(name) > 1}
    return {area: f"{name} ({name_in_reader_language(area.parent)})" if name in shared and area.parent_id else name
            for area, name in zip(areas, names)}
