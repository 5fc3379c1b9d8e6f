"""The Welsh (cy) translations, kept as a Python mapping so `scripts/translations.py fill` can write them into
translations/cy/LC_MESSAGES/messages.po after each extraction. Written by the engineer in the GOV.UK Welsh style;
they need review by a Welsh Language Officer before the service goes live (see the README)."""

CY = {
    "%(body)s publishes a record of each decision of significant public interest (Elected Local Policing Bodies "
    "(Specified Information) Order 2011) that it makes on requests to assist overseas bodies under section 26 of the "
    "Police Act 1996.": "Mae %(body)s yn cyhoeddi cofnod o bob penderfyniad o ddiddordeb cyhoeddus sylweddol "
    "(Gorchymyn Cyrff Plismona Lleol Etholedig (Gwybodaeth Benodedig) 2011) y mae’n ei wneud ar geisiadau i "
    "gynorthwyo cyrff tramor o dan adran 26 o Ddeddf yr Heddlu 1996.",
    "%(start)s to %(end)s": "%(start)s i %(end)s",
    "Account": "Cyfrif",
    "Admin": "Gweinyddu",
    "Advice taken": "Cyngor a gafwyd",
    "All content is available under the <a class=\"govuk-footer__link\" href=\"https://www.nationalarchives.gov.uk/doc/"
    "open-government-licence/version/3/\" rel=\"license\">Open Government Licence v3.0</a>, except where otherwise "
    "stated": "Mae’r holl gynnwys ar gael o dan y <a class=\"govuk-footer__link\" href=\"https://www.nationalarchives"
    ".gov.uk/doc/open-government-licence/version/3/\" rel=\"license\">Drwydded Llywodraeth Agored f3.0</a>, oni "
    "nodir yn wahanol",
    "Beta": "Beta",
    "British citizens deployed overseas could be put at risk by such disclosure": "gallai datgelu o’r fath roi "
    "dinasyddion Prydeinig sydd wedi’u hanfon dramor mewn perygl",
    "Conditions not met": "Amodau na chafodd eu bodloni",
    "Countries assisted in the last 12 months": "Gwledydd a gafodd gymorth yn ystod y 12 mis diwethaf",
    "Decided": "Dyddiad y penderfyniad",
    "Decision": "Penderfyniad",
    "Decisions of significant public interest": "Penderfyniadau o ddiddordeb cyhoeddus sylweddol",
    "Decisions of significant public interest by %(body)s": "Penderfyniadau o ddiddordeb cyhoeddus sylweddol gan "
    "%(body)s",
    "Download:": "Lawrlwytho:",
    "Each force's countries, and its PCC's published decisions": "Gwledydd pob heddlu, a’r penderfyniadau a "
    "gyhoeddwyd gan ei Gomisiynydd Heddlu a Throseddu",
    "Email address": "Cyfeiriad e-bost",
    "Enter your email address": "Rhowch eich cyfeiriad e-bost",
    "Enter your password": "Rhowch eich cyfrinair",
    "Error:": "Gwall:",
    "FOI statistics": "Ystadegau Rhyddid Gwybodaeth",
    "Financial implications": "Goblygiadau ariannol",
    "Go back, reload the page and try again.": "Ewch yn ôl, ail-lwythwch y dudalen a rhowch gynnig arall arni.",
    "Go to the request": "Mynd i’r cais",
    "Go to your inbox": "Mynd i’ch mewnflwch",
    "Human rights and Code of Ethics": "Hawliau dynol a’r Cod Moeseg",
    "If you pasted the web address, check you copied the entire address.": "Os gwnaethoch ludo’r cyfeiriad gwe, "
    "gwiriwch eich bod wedi copïo’r cyfeiriad llawn.",
    "If you typed the web address, check it is correct.": "Os gwnaethoch deipio’r cyfeiriad gwe, gwiriwch ei fod yn "
    "gywir.",
    "In the interests of transparency we publish the countries and territories %(force)s has assisted under section "
    "26 of the Police Act 1996.": "Er mwyn bod yn dryloyw, rydym yn cyhoeddi’r gwledydd a’r tiriogaethau y mae "
    "%(force)s wedi’u cynorthwyo o dan adran 26 o Ddeddf yr Heddlu 1996.",
    "In the interests of transparency we publish the countries and territories police forces in England and Wales "
    "have assisted under section 26 of the Police Act 1996. We do not publish details whose disclosure could put "
    "people at risk, expose vulnerabilities, or relate to counter-terrorism or security bodies.": "Er mwyn bod yn "
    "dryloyw, rydym yn cyhoeddi’r gwledydd a’r tiriogaethau y mae heddluoedd Cymru a Lloegr wedi’u cynorthwyo o dan "
    "adran 26 o Ddeddf yr Heddlu 1996. Nid ydym yn cyhoeddi manylion a allai, o’u datgelu, roi pobl mewn perygl, "
    "datgelu gwendidau, neu sy’n ymwneud â gwrthderfysgaeth neu gyrff diogelwch.",
    "Inbox": "Mewnflwch",
    "International assistance: %(force)s": "Cymorth rhyngwladol: %(force)s",
    "International assistance: ethics, transparency and disclosure": "Cymorth rhyngwladol: moeseg, tryloywder a "
    "datgelu",
    "Language switcher": "Dewis iaith",
    "Menu": "Dewislen",
    "National picture": "Y darlun cenedlaethol",
    "No decisions published.": "Nid oes penderfyniadau wedi’u cyhoeddi.",
    "None in this period.": "Dim yn y cyfnod hwn.",
    "Options considered": "Opsiynau a ystyriwyd",
    "Page not found": "Heb ddod o hyd i’r dudalen",
    "Password": "Cyfrinair",
    "Protective marking": "Marc diogelu",
    "Protective marking (end of page)": "Marc diogelu (diwedd y dudalen)",
    "Reasons": "Rhesymau",
    "Requests": "Ceisiadau",
    "Returns": "Adroddiadau cyfnodol",
    "Section 26 approvals": "Cymeradwyaethau adran 26",
    "See also every force in England and Wales": "Gweler hefyd bob heddlu yng Nghymru a Lloegr",
    "Service information": "Gwybodaeth am y gwasanaeth",
    "Sign in": "Mewngofnodi",
    "Sign in to continue": "Mewngofnodwch i barhau",
    "Sign out": "Allgofnodi",
    "Signed in as": "Wedi mewngofnodi fel",
    "Skip to main content": "Neidio i’r prif gynnwys",
    "Sorry, there is a problem": "Mae’n ddrwg gennym, mae problem wedi codi",
    "Sorry, there is a problem with the service": "Mae’n ddrwg gennym, mae problem gyda’r gwasanaeth",
    "Summary": "Crynodeb",
    "Support links": "Dolenni cymorth",
    "The file is too large": "Mae’r ffeil yn rhy fawr",
    "The form you submitted has expired or was not sent from this service, so nothing was changed.": "Mae’r ffurflen "
    "a gyflwynwyd gennych wedi dod i ben neu ni chafodd ei hanfon o’r gwasanaeth hwn, felly ni newidiwyd dim.",
    "The selected file must be smaller than %(mb)s MB. Nothing was saved: go back and choose a smaller file.": "Rhaid "
    "i’r ffeil a ddewiswyd fod yn llai na %(mb)s MB. Ni chadwyd dim: ewch yn ôl a dewiswch ffeil lai.",
    "There are other reasons why we may not disclose specific details of all overseas work, including where:": "Mae "
    "rhesymau eraill pam na fyddwn efallai’n datgelu manylion penodol am yr holl waith tramor, gan gynnwys lle:",
    "There is a problem": "Mae problem wedi codi",
    "This is a new service. Decisions recorded here are the official record.": "Mae hwn yn wasanaeth newydd. Y "
    "penderfyniadau a gofnodir yma yw’r cofnod swyddogol.",
    "This page cannot be used that way. If you followed a link or pressed a button, go back and try again.": "Ni ellir "
    "defnyddio’r dudalen hon yn y ffordd honno. Os gwnaethoch ddilyn dolen neu bwyso botwm, ewch yn ôl a rhowch gynnig "
    "arall arni.",
    "Too many attempts": "Gormod o ymdrechion",
    "Transparency": "Tryloywder",
    "API documentation": "Dogfennaeth yr API",
    "Try again later. Nothing you entered has been saved half-way: if you were recording a decision, check the "
    "request before trying again.": "Rhowch gynnig arall arni yn nes ymlaen. Nid oes dim a roesoch wedi’i gadw "
    "hanner ffordd: os oeddech yn cofnodi penderfyniad, gwiriwch y cais cyn rhoi cynnig arall arni.",
    "Wait a minute and try again.": "Arhoswch funud a rhowch gynnig arall arni.",
    "We must also balance the need for transparency with the duty of confidentiality to the organisations we work "
    "with. We operate in an environment where similar services may be offered by other organisations and we have a "
    "duty to protect public funds by remaining competitive. Publishing exact figures paid by individual countries "
    "could significantly undermine our ability to carry out that duty.": "Rhaid i ni hefyd gydbwyso’r angen am "
    "dryloywder â’r ddyletswydd o gyfrinachedd i’r sefydliadau rydym yn gweithio gyda nhw. Rydym yn gweithredu mewn "
    "amgylchedd lle gall sefydliadau eraill gynnig gwasanaethau tebyg, ac mae gennym ddyletswydd i ddiogelu arian "
    "cyhoeddus drwy barhau i fod yn gystadleuol. Gallai cyhoeddi’r union symiau a dalwyd gan wledydd unigol "
    "danseilio’n sylweddol ein gallu i gyflawni’r ddyletswydd honno.",
    "What we do not publish, and why": "Yr hyn nad ydym yn ei gyhoeddi, a pham",
    "You cannot do this now": "Ni allwch wneud hyn nawr",
    "You do not have permission to do this": "Nid oes gennych ganiatâd i wneud hyn",
    "Your email address or password is incorrect": "Mae eich cyfeiriad e-bost neu’ch cyfrinair yn anghywir",
    "Your role does not allow this action for this request. If you think it should, contact your service "
    "administrator.": "Nid yw eich rôl yn caniatáu’r weithred hon ar gyfer y cais hwn. Os ydych yn credu y dylai, "
    "cysylltwch â gweinyddwr eich gwasanaeth.",
    "decisions": "penderfyniadau",
    "of %(body)s": "%(body)s",
    "our work may have links to counterterrorism or protecting citizens both in the UK and abroad": "gallai fod "
    "cysylltiad rhwng ein gwaith a gwrthderfysgaeth neu amddiffyn dinasyddion yn y DU a thramor",
    "to do so could expose vulnerabilities in the capability of overseas police forces that could be exploited by "
    "criminals": "gallai gwneud hynny ddatgelu gwendidau yng ngallu heddluoedd tramor y gallai troseddwyr fanteisio "
    "arnynt",
    "© Crown copyright": "© Hawlfraint y Goron",
}

# Emails (to people of the four Welsh forces, Welsh first). Gate names and what happened are phrased so that they
# stand after a colon, which keeps Welsh mutations out of the sentence around them.
EMAILS = {
    "%(author)s mentioned you in a note on %(reference)s": "Mae %(author)s wedi’ch crybwyll mewn nodyn ar "
    "%(reference)s",
    "%(author)s mentioned you in a note on request %(reference)s (%(title)s).": "Mae %(author)s wedi’ch crybwyll "
    "mewn nodyn ar gais %(reference)s (%(title)s).",
    "%(author)s mentioned you in an internal note on request %(reference)s (%(title)s).": "Mae %(author)s wedi’ch "
    "crybwyll mewn nodyn mewnol ar gais %(reference)s (%(title)s).",
    "%(by)s has reset the two-factor sign-in on your %(service)s account, and every session you had was ended.": "Mae "
    "%(by)s wedi ailosod y mewngofnodi dau gam ar eich cyfrif %(service)s, a daeth pob sesiwn a oedd gennych i ben.",
    "(decide by %(due)s)": "(penderfynwch erbyn %(due)s)",
    "(urgent)": "(brys)",
    "<a href=\"%(decide)s\">Make your decision</a> by %(due)s": "<a href=\"%(decide)s\">Gwnewch eich penderfyniad</a> "
    "erbyn %(due)s",
    "<a href=\"%(link)s\">Choose your password</a>. The link works once, for %(hours)s hours.": "<a href=\"%(link)s\">"
    "Dewiswch eich cyfrinair</a>. Mae’r ddolen yn gweithio unwaith, am %(hours)s awr.",
    "Action needed: %(reference)s (%(force)s, %(country)s) – decide by %(due)s": "Camau gweithredu angenrheidiol: "
    "%(reference)s (%(force)s, %(country)s) – penderfynwch erbyn %(due)s",
    "Administrator": "Gweinyddwr",
    "An account has been made for you on %(service)s (%(role_list)s).": "Mae cyfrif wedi’i greu i chi ar %(service)s "
    "(%(role_list)s).",
    "Answer it in the service": "Atebwch ef yn y gwasanaeth",
    "Answer it in the service:": "Atebwch ef yn y gwasanaeth:",
    "Approved (all four gates)": "Wedi’u cymeradwyo (y pedwar cam)",
    "Change your answers and submit the request again:": "Newidiwch eich atebion a chyflwynwch y cais eto:",
    "Chief officer": "Prif swyddog",
    "Chief officer recommendation": "Argymhelliad y prif swyddog",
    "Choose your password here (the link works once, for %(hours)s hours):": "Dewiswch eich cyfrinair yma (mae’r "
    "ddolen yn gweithio unwaith, am %(hours)s awr):",
    "Closed out": "Wedi’u cau",
    "Dear %(greeting)s,": "Annwyl %(greeting)s,",
    "Decide by %(due)s": "Penderfynwch erbyn %(due)s",
    "Decisions by gate (positive, declined, returned):": "Penderfyniadau fesul cam (cadarnhaol, wedi’u gwrthod, wedi’u "
    "dychwelyd):",
    "Declined": "Wedi’u gwrthod",
    "Deployments started": "Lleoliadau a ddechreuodd",
    "Destination: %(country)s": "Cyrchfan: %(country)s",
    "FOI officer": "Swyddog Rhyddid Gwybodaeth",
    "Full cost (closed out in the period)": "Cost lawn (wedi’i chau yn y cyfnod)",
    "Gate": "Cam",
    "Home Office": "Y Swyddfa Gartref",
    "Home Secretary consent": "Cydsyniad yr Ysgrifennydd Cartref",
    "Home Secretary consent recorded": "cofnodwyd cydsyniad yr Ysgrifennydd Cartref",
    "IPAB alignment": "Cadarnhad IPAB",
    "IPAB secretariat": "Ysgrifenyddiaeth IPAB",
    "If you did not ask for this, tell your service administrator at once.": "Os na wnaethoch ofyn am hyn, rhowch "
    "wybod i weinyddwr eich gwasanaeth ar unwaith.",
    "If you did not expect this email, you can ignore it.": "Os nad oeddech yn disgwyl yr e-bost hwn, gallwch ei "
    "anwybyddu.",
    "International lead": "Arweinydd rhyngwladol",
    "It includes sensitive requests: it is for the force's own oversight, not for publication.": "Mae’n cynnwys "
    "ceisiadau sensitif: mae ar gyfer goruchwyliaeth yr heddlu ei hun, nid i’w gyhoeddi.",
    "Make your decision": "Gwnewch eich penderfyniad",
    "Make your decision:": "Gwnewch eich penderfyniad:",
    "No costs": "Dim costau",
    "Open at the end of the period": "Ar agor ar ddiwedd y cyfnod",
    "Overdue: %(reference)s (%(force)s, %(country)s) was due by %(due)s": "Yn hwyr: roedd %(reference)s (%(force)s, "
    "%(country)s) i fod erbyn %(due)s",
    "PCC approval": "Cymeradwyaeth y CHTh",
    "PCC office": "Swyddfa’r CHTh",
    "Police officers deployed": "Swyddogion heddlu a anfonwyd",
    "Police staff deployed": "Staff yr heddlu a anfonwyd",
    "Positive": "Cadarnhaol",
    "Question about %(reference)s (%(force)s, %(country)s) from the %(gate)s": "Cwestiwn am %(reference)s "
    "(%(force)s, %(country)s) gan y cam: %(gate)s",
    "Question:": "Cwestiwn:",
    "Questions asked:": "Cwestiynau a ofynnwyd:",
    "Read it in the service": "Darllenwch ef yn y gwasanaeth",
    "Read it in the service:": "Darllenwch ef yn y gwasanaeth:",
    "Recovered": "Wedi’i adennill",
    "Recovery rate": "Cyfradd adennill",
    "Request %(reference)s (%(title)s) has been %(what)s.": "Diweddariad ar gais %(reference)s (%(title)s): "
    "%(what)s.",
    "Request %(reference)s from %(force)s is waiting for the %(gate)s.": "Mae cais %(reference)s gan %(force)s yn "
    "aros am benderfyniad y cam: %(gate)s.",
    "Request %(reference)s has been waiting for the %(gate)s since before %(due)s.": "Mae cais %(reference)s wedi bod "
    "yn aros am benderfyniad y cam (%(gate)s) ers cyn %(due)s.",
    "Requests received": "Ceisiadau a dderbyniwyd",
    "Returned": "Wedi’u dychwelyd",
    "Section 26 return for %(force)s: %(period)s": "Adroddiad adran 26 ar gyfer %(force)s: %(period)s",
    "See the request": "Gweld y cais",
    "See the request and its timeline:": "Gweld y cais a’i linell amser:",
    "See the return and download it as Excel": "Gweld yr adroddiad a’i lawrlwytho fel Excel",
    "See the return, its open requests and download it as Excel:": "Gweld yr adroddiad, ei geisiadau agored a’i "
    "lawrlwytho fel Excel:",
    "The %(gate)s has a question about request %(reference)s (%(title)s). The request has not been returned: it waits "
    "at the gate, and the gate's deadline is paused until you answer.": "Mae gan y cam (%(gate)s) gwestiwn am gais "
    "%(reference)s (%(title)s). Nid yw’r cais wedi’i ddychwelyd: mae’n aros ar y cam, ac mae terfyn amser y cam wedi’i "
    "oedi nes i chi ateb.",
    "The next time you sign in you will set up your authenticator app again.": "Y tro nesaf y byddwch yn mewngofnodi, "
    "byddwch yn gosod eich ap dilysu eto.",
    "The section 26 return for %(force)s for %(period)s.": "Adroddiad adran 26 %(force)s ar gyfer %(period)s.",
    # The return's email when the return is OFFICIAL-SENSITIVE (issue 25): no figures, only the link.
    "This return is OFFICIAL-SENSITIVE: its figures are not shown in email. Sign in to read it and download it as "
    "Excel:": "Mae’r adroddiad hwn yn SWYDDOGOL-SENSITIF (OFFICIAL-SENSITIVE): ni ddangosir ei ffigurau mewn e-bost. "
    "Mewngofnodwch i’w ddarllen a’i lawrlwytho fel Excel:",
    "The submitter has answered your question about request %(reference)s (%(title)s).": "Mae’r cyflwynydd wedi ateb "
    "eich cwestiwn am gais %(reference)s (%(title)s).",
    "Their answer:": "Eu hateb:",
    "Withdrawn": "Wedi’u tynnu’n ôl",
    "You have been invited to %(service)s": "Rydych wedi cael gwahoddiad i %(service)s",
    "Your question about %(reference)s (%(force)s, %(country)s) has been answered": "Mae eich cwestiwn am "
    "%(reference)s (%(force)s, %(country)s) wedi’i ateb",
    "Your question:": "Eich cwestiwn:",
    "Your two-factor sign-in was reset": "Cafodd eich mewngofnodi dau gam ei ailosod",
    "approved by the PCC": "wedi’i gymeradwyo gan y Comisiynydd Heddlu a Throseddu",
    "approved: IPAB confirmed alignment": "wedi’i gymeradwyo: mae IPAB wedi cadarnhau ei fod yn cyd-fynd",
    "chief officer recommendation": "argymhelliad y prif swyddog",
    "closed": "wedi’i gau",
    "declined": "wedi’i wrthod",
    "deployment started": "mae’r lleoliad wedi dechrau",
    "home secretary consent": "cydsyniad yr Ysgrifennydd Cartref",
    "ipab alignment": "cadarnhad IPAB",
    "no costs": "dim costau",
    "of which overdue at their gate": "ac o’r rhain, yn hwyr ar eu cam",
    "of which sensitive": "ac o’r rhain, yn sensitif",
    "pcc approval": "cymeradwyaeth y CHTh",
    "recommended by the chief officer": "wedi’i argymell gan y prif swyddog",
    "recorded as not needing section 26 authorisation": "wedi’i gofnodi fel un nad oes angen awdurdodiad adran 26 "
    "arno",
    "returned for more information": "wedi’i ddychwelyd am ragor o wybodaeth",
    "withdrawn": "wedi’i dynnu’n ôl",
}
CY.update(EMAILS)

# The second step of signing in.
CY.update(
    {
        "Security code": "Cod diogelwch",
        "The 6-digit code from your authenticator app, or a recovery code": "Y cod 6 digid o’ch ap dilysu, neu god "
        "adfer",
        "Enter the security code": "Rhowch y cod diogelwch",
        "Continue": "Parhau",
        "Enter your security code": "Rhowch eich cod diogelwch",
        "Lost your phone? Enter one of your recovery codes instead. Each works once.": "Wedi colli eich ffôn? Rhowch "
        "un o’ch codau adfer yn lle hynny. Mae pob un yn gweithio unwaith.",
        "That security code has already been used: wait for your app to show a new one": "Mae’r cod diogelwch hwnnw "
        "eisoes wedi’i ddefnyddio: arhoswch i’ch ap ddangos un newydd",
        "The security code is not correct": "Nid yw’r cod diogelwch yn gywir",
        # Setting up two-factor sign-in, and the recovery codes it gives (issue 25: sign-in in Welsh and English).
        "Set up two-factor sign-in": "Sefydlu mewngofnodi dau gam",
        "Your role decides on police deployments abroad, so you must sign in with a code from an authenticator app "
        "as well as your password.": "Mae eich rôl yn penderfynu ar anfon yr heddlu dramor, felly mae’n rhaid i chi "
        "fewngofnodi gyda chod o ap dilysu yn ogystal â’ch cyfrinair.",
        "Open an authenticator app on your phone.": "Agorwch ap dilysu ar eich ffôn.",
        "Scan this QR code, or type in the key below.": "Sganiwch y cod QR hwn, neu teipiwch yr allwedd isod.",
        "Enter the 6-digit code the app shows.": "Rhowch y cod 6 digid y mae’r ap yn ei ddangos.",
        "QR code for your authenticator app. If you cannot scan it, type in the key shown below.": "Cod QR ar gyfer "
        "eich ap dilysu. Os na allwch ei sganio, teipiwch yr allwedd a ddangosir isod.",
        "Key:": "Allwedd:",
        "The security code is not correct: check the time on your phone and try again": "Nid yw’r cod diogelwch yn "
        "gywir: gwiriwch yr amser ar eich ffôn a rhowch gynnig arall arni",
        "Your recovery codes": "Eich codau adfer",
        "Two-factor sign-in is set up": "Mae mewngofnodi dau gam wedi’i sefydlu",
        "Keep these recovery codes somewhere safe. Each lets you sign in once if you lose your phone. They will not "
        "be shown again.": "Cadwch y codau adfer hyn yn rhywle diogel. Mae pob un yn gadael i chi fewngofnodi unwaith "
        "os byddwch yn colli eich ffôn. Ni fyddant yn cael eu dangos eto.",
        # What stands in an email for the detail of an OFFICIAL-SENSITIVE request.
        "OFFICIAL-SENSITIVE": "SWYDDOGOL-SENSITIF (OFFICIAL-SENSITIVE)",
        "destination not shown": "ni ddangosir y gyrchfan",
        "Not shown in email (OFFICIAL-SENSITIVE): sign in to read it": "Nis dangosir mewn e-bost (OFFICIAL-SENSITIVE): "
        "mewngofnodwch i’w ddarllen",
        "General authorisations": "Awdurdodiadau cyffredinol",
    "called in by the Home Office: individual Home Secretary consent is required": "wedi’i alw i mewn gan y Swyddfa "
    "Gartref: mae angen cydsyniad unigol yr Ysgrifennydd Cartref",
    "Decided by %(decided_by)s.": "Penderfynwyd gan %(decided_by)s.",
    # The overdue OSJA review reminder (issue 24).
    "OSJA review overdue: %(reference)s %(title)s (%(force)s, %(country)s) was due by %(due)s": "Adolygiad OSJA yn "
    "hwyr: roedd %(reference)s %(title)s (%(force)s, %(country)s) i fod erbyn %(due)s",
    # The escalation email (issue 26: every action email names the request, its title and dates).
    "Escalated: %(reference)s %(title)s – %(gate)s is %(days)s working days past its decide-by date": "Wedi’i "
    "uwchgyfeirio: %(reference)s %(title)s – mae %(gate)s %(days)s diwrnod gwaith ar ôl ei ddyddiad penderfynu",
    "This request has waited at %(gate)s for %(days)s working days past its decide-by date (%(due)s). It has been "
    "escalated to the gate's deciders and their delegates.": "Mae’r cais hwn wedi aros ar %(gate)s am %(days)s "
    "diwrnod gwaith ar ôl ei ddyddiad penderfynu (%(due)s). Mae wedi’i uwchgyfeirio i’r rhai sy’n penderfynu ar y "
    "cam hwn a’u dirprwyon.",
    "The Home Office has been told too.": "Mae’r Swyddfa Gartref wedi cael gwybod hefyd.",
    "See the request:": "Gweld y cais:",
    "The review of long-running work %(reference)s was due by %(due)s. Read its OSJA assessment and record whether "
    "the work should continue or stop:": "Roedd adolygiad y gwaith hirdymor %(reference)s i fod erbyn %(due)s. "
    "Darllenwch ei asesiad OSJA a chofnodwch a ddylai’r gwaith barhau neu ddod i ben:",
    "Record the review": "Cofnodi’r adolygiad",
    # The overdue OSJA review, escalated like an overdue gate (issue 24).
    "Escalated: OSJA review of %(reference)s %(title)s is %(days)s working days past its due date (%(due)s)": "Wedi’i "
    "uwchgyfeirio: mae adolygiad OSJA %(reference)s %(title)s %(days)s diwrnod gwaith ar ôl ei ddyddiad (%(due)s)",
    "The review of long-running work %(reference)s was due by %(due)s and has not been recorded %(days)s working days "
    "later. It has been escalated to the PCC office and its delegates, and the Home Office has been told. Read its "
    "OSJA assessment and record whether the work should continue or stop:": "Roedd adolygiad y gwaith hirdymor "
    "%(reference)s i fod erbyn %(due)s ac nid yw wedi’i gofnodi %(days)s diwrnod gwaith yn ddiweddarach. Mae wedi’i "
    "uwchgyfeirio i swyddfa’r CHTh a’i dirprwyon, ac mae’r Swyddfa Gartref wedi cael gwybod. Darllenwch ei asesiad "
    "OSJA a chofnodwch a ddylai’r gwaith barhau neu ddod i ben:",
    # A review that stops long-running work tells the submitter and the chief officers (issue 24).
    "Work to stop: the OSJA review of %(reference)s %(title)s decided it should not continue": "Gwaith i ddod i ben: "
    "penderfynodd adolygiad OSJA %(reference)s %(title)s na ddylai barhau",
    "%(decided_by)s of the PCC office has reviewed the OSJA assessment of long-running work %(reference)s and decided "
    "it should stop. The work ends early: its end date is now the one below, and no later review falls due. The "
    "reasons are on the request:": "Mae %(decided_by)s o swyddfa’r CHTh wedi adolygu asesiad OSJA y gwaith hirdymor "
    "%(reference)s ac wedi penderfynu y dylai ddod i ben. Daw’r gwaith i ben yn gynnar: y dyddiad isod yw ei "
    "ddyddiad gorffen bellach, ac nid oes adolygiad arall yn ddyledus. Mae’r rhesymau ar y cais:",
    "Read the request": "Darllen y cais",
    # Issue 26's email wording (written by the polish26 engineer; for review with the rest).
    'A chief officer of %(force)s decided the request needs section 26 approval. It is a draft again: change '
    'it and submit it for approval.':
    'Penderfynodd un o brif swyddogion %(force)s fod angen cymeradwyaeth adran 26 ar y cais. Mae’n ddrafft '
    'eto: newidiwch ef a’i gyflwyno i’w gymeradwyo.',
    'A request from %(force)s has been waiting for %(waiting)s and was due by %(due)s.':
    'Mae cais gan %(force)s wedi bod yn aros am %(waiting)s, ac roedd disgwyl penderfyniad erbyn %(due)s.',
    'A request from %(force)s is waiting for %(waiting)s.':
    'Mae cais gan %(force)s yn aros am %(waiting)s.',
    'Action needed: %(reference)s %(title)s – %(gate)s due by %(due)s':
    'Camau gweithredu angenrheidiol: %(reference)s %(title)s – %(gate)s erbyn %(due)s',
    'As a chief officer of %(force)s, you can decide it needs section 26 approval after all. It then goes '
    'back to its lead as a draft:':
    'Fel un o brif swyddogion %(force)s, gallwch benderfynu bod angen cymeradwyaeth adran 26 arno wedi’r '
    'cyfan. Bydd yn mynd yn ôl i’w arweinydd fel drafft:',
    'Change your answers and submit the request again.':
    'Newidiwch eich atebion a chyflwynwch y cais eto.',
    'Dates: %(start)s to %(end)s':
    'Dyddiadau: %(start)s i %(end)s',
    'Force: %(force)s':
    'Heddlu: %(force)s',
    "Next: record the deployment when it starts, on the request's page (Record deployment start).":
    'Nesaf: cofnodwch y lleoliad pan fydd yn dechrau, ar dudalen y cais (Record deployment start).',
    'Overdue: %(reference)s %(title)s – %(gate)s was due by %(due)s':
    'Hwyr: %(reference)s %(title)s – roedd disgwyl %(gate)s erbyn %(due)s',
    'Question about %(reference)s %(title)s at %(gate)s':
    'Cwestiwn am %(reference)s %(title)s yn %(gate)s',
    'Reasons:':
    'Rhesymau:',
    'Request: %(reference)s – %(title)s':
    'Cais: %(reference)s – %(title)s',
    'The request has been %(what)s (%(name)s). It is now waiting for %(next)s, due by %(due)s.':
    'Mae’r cais %(what)s (%(name)s). Mae bellach yn aros am %(next)s, erbyn %(due)s.',
    'The request has been %(what)s.':
    'Mae’r cais %(what)s.',
    'The request has been approved: IPAB confirmed alignment (%(name)s). Every section 26 approval is now in '
    'place.':
    'Mae’r cais wedi’i gymeradwyo: cadarnhaodd IPAB ei fod yn cyd-fynd (%(name)s). Mae pob cymeradwyaeth '
    'adran 26 bellach yn ei lle.',
    'The request has been declined at %(gate)s by %(name)s.':
    'Mae’r cais wedi’i wrthod yn %(gate)s gan %(name)s.',
    'The request has been recorded as travel connected with UK police work, so it does not need section 26 '
    'approval.':
    'Mae’r cais wedi’i gofnodi fel teithio sy’n gysylltiedig â gwaith yr heddlu yn y DU, felly nid oes angen '
    'cymeradwyaeth adran 26 arno.',
    'The request has been returned for more information at %(gate)s by %(name)s.':
    'Mae’r cais wedi’i ddychwelyd am ragor o wybodaeth yn %(gate)s gan %(name)s.',
    'Their reasons:':
    'Eu rhesymau:',
    'There is a question about your request at %(gate)s. The request has not been returned: it waits at the '
    "gate, and the gate's deadline is paused until you answer.":
    'Mae cwestiwn am eich cais yn %(gate)s. Nid yw’r cais wedi’i ddychwelyd: mae’n aros wrth y porth, ac mae '
    'terfyn amser y porth wedi’i oedi nes i chi ateb.',
    'We have received your request. It is now waiting for %(next)s, due by %(due)s. We will email you when '
    'it moves on.':
    'Rydym wedi cael eich cais. Mae bellach yn aros am %(next)s, erbyn %(due)s. Byddwn yn anfon e-bost atoch '
    'pan fydd yn symud ymlaen.',
    'Your question about %(reference)s %(title)s has been answered':
    'Mae eich cwestiwn am %(reference)s %(title)s wedi’i ateb',
    'given Home Secretary consent':
    'wedi cael cydsyniad yr Ysgrifennydd Cartref',
    'needs section 26 approval':
    'angen cymeradwyaeth adran 26',
    'received':
    'wedi dod i law',
    'received again':
    'wedi dod i law eto',
    "Download the letter of authority": "Lawrlwytho’r llythyr awdurdod",
    "(sign in first).": "(mewngofnodwch yn gyntaf).",
}
)
