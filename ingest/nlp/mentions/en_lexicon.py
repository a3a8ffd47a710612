"""General English cue words for typing names and spotting relations.

Everything here is ordinary English vocabulary of tech and business news, never
names of particular companies or products: the lists must carry over to
articles about any market.
"""

from __future__ import annotations

CORP_SUFFIXES = frozenset({
    "inc", "inc.", "corp", "corp.", "corporation", "ltd", "ltd.", "llc", "co.", "limited",
    "plc", "gmbh", "ag", "s.a.", "sa", "n.v.", "nv", "ab", "oy", "bv", "pty", "k.k.",
})
#: Trailing words of a company's full name that its short name drops ("Harman International").
CORP_DESIGNATORS = frozenset({
    "international", "holdings", "group", "technologies", "technology", "systems", "networks",
    "electronics", "communications", "semiconductor", "semiconductors", "industries",
    "solutions", "software", "computing", "incorporated", "enterprises", "co",
})
#: Words that make a capitalised name a non-commercial organisation.
ORG_WORDS = frozenset({
    "foundation", "consortium", "association", "university", "institute", "institution",
    "commission", "department", "authority", "administration", "agency", "council",
    "committee", "federation", "society", "ministry", "bureau", "initiative", "forum",
    "alliance", "union", "organization", "organisation", "league", "board", "parliament",
    "congress", "senate", "court", "college", "academy", "community", "group", "project",
    "regulator", "office", "partnership", "coalition", "taskforce", "center", "centre",
    "laboratory", "lab", "labs", "school", "observatory", "network",
})
#: ORG_WORDS that are also common in company names; they count only with "of"/"for"
#: in the name or as a lone trailing word of a non-vendor.
WEAK_ORG_WORDS = frozenset({"group", "network", "labs", "lab", "center", "centre", "office"})
#: Heads after a name that make it a standard ("the OCI runtime spec").
STANDARD_WORDS = frozenset({
    "spec", "specification", "specifications", "standard", "standards", "format", "protocol",
    "license", "licence", "architecture", "isa", "codec", "language", "encoding", "schema",
    "rfc", "api",
})
#: Synonyms that name the same instruction-set standard of one owner.
ISA_WORDS = frozenset({"architecture", "isa"})
#: Heads after a name that make it a product ("the Atlas database", "Docker containers").
PRODUCT_WORDS = frozenset({
    "platform", "engine", "service", "services", "database", "server", "os", "browser",
    "chip", "chips", "processor", "processors", "phone", "smartphone", "app", "apps",
    "software", "tool", "tools", "framework", "runtime", "container", "containers",
    "image", "images", "cluster", "clusters", "distribution", "distro", "kernel",
    "hypervisor", "orchestrator", "registry", "release", "version", "versions", "edition",
    "library", "sdk", "plugin", "plug-in", "extension", "device", "devices", "cloud",
    "laptop", "tablet", "console", "model", "models", "system", "suite", "product",
    "products", "stack", "driver", "compiler", "toolkit", "appliance", "instance",
    "instances", "deployment", "deployments", "user", "users", "environment",
    "environments", "orchestration", "support", "integration", "operating", "storage",
    "network", "networking", "database-as-a-service", "chipset", "soc", "gpu", "cpu",
    "modem", "firmware", "camera", "handset", "handsets", "headset", "watch", "car",
    "codebase", "repository", "repo", "fork", "binary", "binaries", "workloads", "workload",
    "blockchain", "token", "tokens", "stablecoin", "coin", "wallet", "handheld",
    "project", "station", "equipment", "router", "routers", "switch", "switches", "antenna",
    "radio", "radios", "silicon", "board", "boards", "card", "cards", "headphones", "speaker",
    "speakers", "assistant", "chatbot", "bot", "game", "games",
})
#: Nouns whose possessor or subject is a company, not a product.
VENDOR_NOUNS = frozenset({
    "ceo", "cto", "cfo", "coo", "founder", "cofounder", "co-founder", "chairman", "president",
    "executive", "executives", "employees", "staff", "revenue", "revenues", "profit",
    "profits", "earnings", "stock", "shares", "share", "shareholders", "investors",
    "acquisition", "acquisitions", "strategy", "business", "businesses", "customers",
    "headquarters", "funding", "deal", "deals", "decision", "partners", "partner",
    "spokesperson", "spokesman", "spokeswoman", "board", "management", "effort", "efforts",
    "plans", "plan", "portfolio", "investment", "valuation", "ipo", "layoffs", "team",
    "engineers", "developers", "subsidiary", "division", "unit", "market", "competitors",
    "rival", "rivals", "announcement", "lawsuit", "sales", "quarter", "fiscal", "chief",
    "goal", "goals", "ambitions", "bet", "move", "offices", "office", "founders", "ceos",
})
#: Verbs whose subject is a company acting (not a product).
VENDOR_VERBS = frozenset({
    "announce", "say", "acquire", "buy", "purchase", "sell", "hire", "partner", "plan",
    "raise", "report", "file", "oppose", "tell", "believe", "invest", "sue", "agree",
    "pledge", "restructure", "focus", "expect", "decide", "launch", "unveil", "release",
    "introduce", "own", "lay", "employ", "reveal", "confirm", "deny", "claim", "argue",
    "endeavor", "endeavour", "intend", "promise", "commit", "license", "design", "make",
    "build", "develop", "ship", "sign", "join", "team", "compete", "register", "pitch",
    "offer", "embrace", "donate", "fund", "sponsor", "spend", "open-source", "roll",
    "dominate", "win", "lose", "love", "want", "need", "hope", "bet", "aim", "seek", "try",
    "struggle", "lead", "warn", "cut", "grow", "earn", "post", "beat", "miss",
})
#: Verbs whose subject or object is software or hardware in use.
PRODUCT_VERBS = frozenset({
    "run", "deploy", "install", "crash", "boot", "execute", "host", "store", "scale",
    "orchestrate", "containerize", "upgrade", "patch", "configure", "download", "use",
    "power", "underpin",
})
#: Verbs that introduce a new product as their object.
LAUNCH_VERBS = frozenset({
    "launch", "release", "unveil", "introduce", "debut", "ship", "open-source", "unveiled",
    "roll", "preview",
})
#: Words that close a conference name ("KubeCon", "Google I/O", "Build").
EVENT_WORDS = frozenset({
    "conference", "summit", "expo", "symposium", "convention", "forum", "world", "days",
    "week", "fest", "festival", "hackathon", "meetup", "congress", "show", "keynote",
})
#: Leadership titles (for "leads" and for typing the name next to them as a Person).
TITLE_WORDS = frozenset({
    "ceo", "cto", "cfo", "coo", "cio", "ciso", "cmo", "founder", "co-founder", "cofounder",
    "chairman", "chairwoman", "chair", "president", "chief", "head", "director", "leader",
    "boss", "vp", "svp", "evp", "chief executive", "executive", "general manager",
    "managing director", "creator",
})
#: Strong leadership titles; the weaker ones ("director") need "of"/"at".
LEAD_TITLES = frozenset({
    "ceo", "cto", "cfo", "coo", "cio", "ciso", "cmo", "founder", "co-founder", "cofounder",
    "chairman", "chairwoman", "chair", "president", "chief", "head", "leader", "boss",
})
#: Capitalised words that are not names on their own (sentence starts, headlines).
NON_NAMES = frozenset({
    "the", "a", "an", "this", "that", "these", "those", "it", "its", "we", "our", "they",
    "their", "he", "she", "his", "her", "i", "you", "in", "on", "at", "for", "of", "and",
    "but", "or", "so", "as", "if", "when", "while", "meanwhile", "however", "also", "now",
    "today", "yesterday", "tomorrow", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ceo", "cto", "ai",
    "ml", "api", "apis", "cloud", "image", "source", "update", "news", "read", "see",
    "share", "click", "nasdaq", "nyse", "ticker", "inc", "corp", "ltd", "llc", "co", "us",
    "u.s.", "uk", "eu", "usa", "kubernetes-as-a-service", "sql", "nosql", "global",
    "orchestration", "containers", "container", "enterprise", "open", "keynote",
    "editor", "note", "photo", "related", "more", "most", "some", "many", "all", "any",
    "one", "two", "three", "first", "second", "last", "next", "new", "old", "big",
    "percent", "billion", "million", "year", "years", "it’s", "it's", "there", "here",
    "erp", "crm", "saas", "paas", "iaas", "iot", "llm", "llms", "nlp", "sdk", "cpu", "gpu",
    "ssd", "hpc", "vpn", "ar", "vr", "xr", "os", "hr", "b2b", "b2c", "ev", "evs", "esg",
    "ipo", "m&a", "r&d", "faq", "pdf", "html", "url", "usb", "wi-fi", "lte",
})
#: Ticker and exchange markers inside parentheses ("(NASDAQ:MDB)").
EXCHANGES = frozenset({"nasdaq", "nyse", "lse", "tsx", "hkex", "sse", "szse", "tse", "asx",
                       "otc", "euronext", "xetra", "kospi", "bse", "nse"})
#: Countries, regions and big cities that spaCy tags GPE; never entities of the schema.
PLACES = frozenset({
    "china", "us", "u.s.", "usa", "united states", "america", "uk", "u.k.", "britain",
    "united kingdom", "england", "scotland", "wales", "ireland", "europe", "eu", "asia",
    "africa", "india", "japan", "korea", "south korea", "north korea", "taiwan", "hong kong",
    "germany", "france", "italy", "spain", "canada", "mexico", "brazil", "russia",
    "australia", "israel", "singapore", "netherlands", "sweden", "finland", "norway",
    "denmark", "switzerland", "austria", "belgium", "poland", "ukraine", "turkey",
    "vietnam", "indonesia", "malaysia", "thailand", "philippines", "pakistan", "iran",
    "saudi arabia", "uae", "dubai", "egypt", "nigeria", "kenya", "south africa",
    "argentina", "chile", "colombia", "new zealand", "california", "texas", "washington",
    "new york", "massachusetts", "silicon valley", "san francisco", "seattle", "boston",
    "london", "paris", "berlin", "beijing", "shanghai", "shenzhen", "hangzhou", "tokyo",
    "seoul", "bangalore", "cambridge", "oxford", "austin", "redmond", "cupertino",
    "mountain view", "palo alto", "santa clara", "sunnyvale", "san jose", "barcelona",
    "las vegas", "amsterdam", "munich", "zurich", "dublin", "toronto", "vancouver",
    "sydney", "melbourne", "moscow", "delhi", "mumbai", "taipei", "osaka", "chicago",
    "los angeles", "san diego", "copenhagen", "stockholm", "helsinki", "oslo", "vienna",
    "brussels", "madrid", "rome", "milan", "lisbon", "prague", "warsaw", "kyiv",
    "jakarta", "bangkok", "manila", "hanoi", "guangzhou",
    "wuhan", "chengdu", "nanjing", "tianjin", "xi'an", "macau", "west", "east",
})
#: Common given names (many languages): a plain capitalised pair starting with one is a person.
GIVEN_NAMES = frozenset("""
aaron adam adrian ahmed aisha alan albert alex alexander alexandra alexis ali alice alicia
allison amanda amir amit amy ana andrea andreas andrew andy angela anil anita ann anna anne
anthony antonio anurag arjun arvind ashley barbara ben benjamin bernard beth bill bob brad
bradley brandon brendan brian bruce carl carlos carol caroline catherine charles charlie
chen cheng cheryl chris christian christina christine christopher chuck claire craig dan
daniel danny dave david dean deborah dennis diana diane dmitry dominic don donald doug
douglas dylan ed eddie edward elena elizabeth ellen emily emma eric erik eva evan fabio fei
felix fernando frank fred gabriel gary george gerald gina ginni giovanni glenn gordon grace
greg gregory hans harry heather helen henry hiroshi hui ian igor irene isaac ivan jack jacob
james jamie jan jane janet jason jay jean jeff jeffrey jennifer jenny jeremy jerry jessica
jian jim jimmy joan joe joel johan john jon jonathan jordan jorge jose joseph josh joshua
juan judy julia julian julie jun justin kai karen karl kate katherine kathy kazuo keith
kelly ken kenneth kevin kim krishnan kumar kurt larry laura lauren lee lei leo li lin linda
lisa liu lucas luis luke manuel marc marco margaret maria marie mark martin mary masayoshi
matt matthew max melissa michael michelle miguel mike min ming mohamed mohammed nadella
nancy naveen neil nicholas nick nicole nikolai noah olivia oliver omar pat patrick paul
pedro peter phil philip philippe pierre ping rachel rahul raj rajeev ramesh randy ravi ray
raymond rebecca reed ren richard rick rob robert roberto robin roger ron ronald rose ross ryan
sam samantha samuel sandra sanjay sara sarah satya scott sean sebastian sergey shantanu
sharon shawn sheryl simon solomon sophia stefan stephanie stephen steve steven sue sundar
susan takeshi tao tara ted terry thomas tim timothy tina todd tom tony tracy travis tyler
valentina victor vijay vincent virginia walter wang wayne wei wendy werner william xavier
xin yan yang yi yong yuki yuri zhang zhou
""".split())
