//! The words of every account e-mail, in Arabic (the default) and English.

pub use crate::locale::Locale;

/// What an account e-mail is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// Confirm the address of a new account.
    Verify,
    /// Someone tried to sign up with an address that already has an account.
    AlreadyRegistered,
    /// A sign-in link and a one-time code.
    SignIn,
    /// A password-reset link.
    Reset,
    /// Confirm a new address (sent to the new address).
    EmailChange,
    /// The address of the account is being changed (sent to the old address).
    EmailChangeNotice,
}

/// The texts of one message.
pub struct Texts {
    pub subject: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,
    pub action: &'static str,
    pub outro: &'static str,
}

const IGNORE_AR: &str = "إن لم تطلب ذلك فتجاهل هذه الرسالة؛ لن يتغير شيء.";
const IGNORE_EN: &str = "If you did not ask for this, ignore this message; nothing will change.";

/// The texts of `kind` in `locale`.
pub fn text(kind: MailKind, locale: Locale) -> Texts {
    use MailKind::*;
    let t = |subject, heading, intro, action, outro| Texts {
        subject,
        heading,
        intro,
        action,
        outro,
    };
    match (kind, locale) {
        (Verify, Locale::Ar) => t(
            "تأكيد بريدك الإلكتروني في صحيفة",
            "أهلاً بك في صحيفة",
            "أنشأت حساباً بهذا العنوان. افتح الرابط لتأكيد بريدك الإلكتروني.",
            "تأكيد البريد الإلكتروني",
            IGNORE_AR,
        ),
        (Verify, Locale::En) => t(
            "Confirm your e-mail address for sahifa",
            "Welcome to sahifa",
            "An account was created with this address. Open the link to confirm it.",
            "Confirm e-mail address",
            IGNORE_EN,
        ),
        (AlreadyRegistered, Locale::Ar) => t(
            "محاولة تسجيل بعنوانك في صحيفة",
            "لديك حساب بالفعل",
            "طلب أحدهم إنشاء حساب بهذا العنوان، لكن لديك حساباً بالفعل. يمكنك تسجيل الدخول أو إعادة تعيين كلمة المرور.",
            "تسجيل الدخول",
            IGNORE_AR,
        ),
        (AlreadyRegistered, Locale::En) => t(
            "Sign-up attempt with your address at sahifa",
            "You already have an account",
            "Someone asked to create an account with this address, but you already have one. You can sign in or reset your password.",
            "Sign in",
            IGNORE_EN,
        ),
        (SignIn, Locale::Ar) => t(
            "رابط تسجيل الدخول إلى صحيفة",
            "تسجيل الدخول",
            "افتح الرابط ثم اضغط زر التأكيد لتسجيل الدخول، أو أدخل الرمز في صفحة تسجيل الدخول. الرابط صالح ربع ساعة.",
            "تسجيل الدخول",
            IGNORE_AR,
        ),
        (SignIn, Locale::En) => t(
            "Your sign-in link for sahifa",
            "Sign in",
            "Open the link and press the confirm button to sign in, or enter the code on the sign-in page. The link is valid for 15 minutes.",
            "Sign in",
            IGNORE_EN,
        ),
        (Reset, Locale::Ar) => t(
            "إعادة تعيين كلمة المرور في صحيفة",
            "إعادة تعيين كلمة المرور",
            "افتح الرابط لاختيار كلمة مرور جديدة. الرابط صالح ساعة واحدة.",
            "اختيار كلمة مرور جديدة",
            IGNORE_AR,
        ),
        (Reset, Locale::En) => t(
            "Reset your sahifa password",
            "Reset your password",
            "Open the link to choose a new password. The link is valid for one hour.",
            "Choose a new password",
            IGNORE_EN,
        ),
        (EmailChange, Locale::Ar) => t(
            "تأكيد عنوان بريدك الجديد في صحيفة",
            "تأكيد العنوان الجديد",
            "طُلب نقل حساب في صحيفة إلى هذا العنوان. افتح الرابط واضغط زر التأكيد لإتمام التغيير.",
            "تأكيد العنوان الجديد",
            IGNORE_AR,
        ),
        (EmailChange, Locale::En) => t(
            "Confirm your new e-mail address for sahifa",
            "Confirm your new address",
            "A sahifa account asked to move to this address. Open the link and press confirm to finish.",
            "Confirm new address",
            IGNORE_EN,
        ),
        (EmailChangeNotice, Locale::Ar) => t(
            "طلب تغيير بريد حسابك في صحيفة",
            "تغيير عنوان البريد",
            "طُلب تغيير عنوان البريد الإلكتروني لحسابك. لن يتم التغيير إلا بعد تأكيده من العنوان الجديد.",
            "",
            "إن لم تطلب ذلك فغيّر كلمة المرور واخرج من كل الجلسات من صفحة حسابك.",
        ),
        (EmailChangeNotice, Locale::En) => t(
            "E-mail change requested for your sahifa account",
            "E-mail address change",
            "Someone asked to change the e-mail address of your account. Nothing changes until the new address confirms it.",
            "",
            "If this was not you, change your password and sign out everywhere from your account page.",
        ),
    }
}

/// The label before a one-time code.
pub fn code_label(locale: Locale) -> &'static str {
    match locale {
        Locale::Ar => "أو أدخل هذا الرمز:",
        Locale::En => "Or enter this code:",
    }
}

/// The closing line of every message.
pub fn footer(locale: Locale) -> &'static str {
    match locale {
        Locale::Ar => "صحيفة — رسالة آلية، لا ترد عليها.",
        Locale::En => "sahifa — an automatic message, please do not reply.",
    }
}
