# For you: the feed, its reasons, follows, "more / less like this", reading history.

foryou-original = الأصل
foryou-heading = لك
foryou-title = لك — صحيفة
foryou-cold = هذه أبرز الأخبار الآن من أقسام ومصادر مختلفة. تابِع قسماً أو موضوعاً أو مصدراً، واقرأ ما يهمك، فتتعلم صفحتك ما تحب.
foryou-my-follows = ما أتابعه
foryou-empty = لا شيء جديد هنا الآن.
foryou-next = المزيد ←
foryou-more = المزيد مثل هذا
foryou-less = أقل مثل هذا
foryou-less-tag = أقل عن { $name }
foryou-less-section = أقل من { $name }
foryou-less-source = أقل من { $name }
foryou-hide-source = أخفِ { $name }
follow-on = ✓ تتابع { $name }
follow-off = + تابِع { $name }

follows-title = ما أتابعه — صحيفة
follows-heading = ما أتابعه
follows-feed-link = صفحتك «لك»
follows-account-link = حسابي
follows-none = لا تتابع شيئاً بعد. تابِع قسماً أو موضوعاً أو مصدراً من صفحته.
follows-kind-section = قسم
follows-kind-tag = موضوع
follows-kind-source = مصدر
follows-unfollow = إلغاء المتابعة
follows-hidden-heading = مصادر أخفيتها
follows-hidden-none = لم تخفِ أي مصدر.
follows-unhide = أظهره من جديد
follows-history-heading = سجل القراءة
follows-history-text = تُرتَّب صفحتك «لك» مما فتحته وقرأته وحفظته ومما طلبت المزيد أو الأقل منه. لا يُرسل شيء من ذلك إلى أي جهة أخرى.
follows-clear = امسح سجل قراءتي
follows-cleared = مُسح سجل قراءتك. ما تتابعه باقٍ كما هو.
follows-unhidden = عاد المصدر إلى صفحتك.
account-reading = القراءة: ما أتابعه، المصادر المخفية، ومسح سجل القراءة

reason-follow = لأنك تتابع { $name }
reason-read-about = لأنك قرأت عن { $name }
reason-read-section = لأنك تقرأ أخبار { $name }
reason-read = قريب مما قرأته
reason-popular = خبر تتناقله مصادر عدة
reason-fresh-in = جديد في { $name }
reason-fresh = جديد
reason-pinned = اختاره المحررون

foryou-section-culture = الثقافة
foryou-section-economy = الاقتصاد
foryou-section-internationalNews = العالم
foryou-section-middleEast = الشرق الأوسط
foryou-section-sport = الرياضة
foryou-section-technology = التكنولوجيا

# The desk's pin: an article at the top of every member's «لك».
desk-pin-heading = التثبيت في «لك»
desk-pin-hours = المدة بالساعات
desk-pin = ثبّت لدى كل الأعضاء
desk-unpin = ألغِ التثبيت
desk-pinned-until = مثبّت في «لك» لدى كل الأعضاء حتى { $until }.
desk-not-pinned = غير مثبّت.
desk-pin-not-published = لا يُثبَّت إلا مقال منشور.
desk-pin-bad-hours = مدة التثبيت من ساعة إلى 168 ساعة.
