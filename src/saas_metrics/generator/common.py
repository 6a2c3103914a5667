"""Shared simulation context, random streams, time helpers, fake strings and frame building.

Internal representation while simulating (turned into typed DataFrames by ``build_frame``):
timestamps are int64 epoch seconds (UTC) and dates int64 epoch days, both with ``NAT``
(numpy's NaT bit pattern) for NULL; nullable bigints use ``-1`` for NULL; text is a numpy
object/str array with ``None`` for NULL.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .contract import Table

DAY = 86_400
HOUR = 3_600
NAT = np.iinfo(np.int64).min  # bit pattern of numpy NaT


# ---------------------------------------------------------------- shared state
# What one simulator hands to the next (e.g. accounts for CRM leads). Arrays are aligned
# per entity; "index" fields point into another entity's arrays, "*_sec" fields are epoch
# seconds and INF means "never".


@dataclass
class AccountState:
    account_id: np.ndarray
    created: np.ndarray  # signup time (epoch seconds)
    tier: np.ndarray  # index into TIERS of the plan at signup
    size_idx: np.ndarray
    segment: np.ndarray
    region: np.ndarray
    channel: np.ndarray
    health: np.ndarray  # latent customer quality: drives usage, tickets, failures, churn
    pay_fail: np.ndarray  # probability that a card charge fails
    currency_idx: np.ndarray
    name: np.ndarray
    domain: np.ndarray
    net_terms: np.ndarray  # invoiced with payment terms instead of charged by card
    is_installed_base: np.ndarray  # signed up before the window (the company's history)
    converts: np.ndarray  # becomes a paying customer at some point
    trial_days: np.ndarray  # trial length; 0 = bought without a trial
    annual: np.ndarray  # first subscription billed yearly
    seats: np.ndarray  # seats bought on the first subscription
    discount: np.ndarray  # negotiated discount percent, 0 = none
    credit_limit: np.ndarray  # USD
    # set by simulate_subscriptions
    first_sub_start: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    life_end: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


@dataclass
class SubscriptionState:
    subscription_id: np.ndarray
    account_id: np.ndarray
    acct: np.ndarray  # account index
    tier: np.ndarray
    annual: np.ndarray
    cur: np.ndarray  # currency index
    amount: np.ndarray  # list amount of one seat per billing interval, in the currency
    seats: np.ndarray
    disc: np.ndarray  # discount percent, 0 = none
    start: np.ndarray
    end: np.ndarray  # NAT while open
    reason: np.ndarray  # cancel reason, None for plan changes and open rows


@dataclass
class UserState:
    user_id: np.ndarray
    acct: np.ndarray
    signup: np.ndarray
    user_end: np.ndarray  # last moment the user can be active (exclusive)
    p_daily: np.ndarray  # probability of a session on a working day
    mobile: np.ndarray  # prefers the mobile app
    pos: np.ndarray  # position in the account: 0 = the account's first user (admin)
    # users sorted by account, each account's offset into that order and its user count
    by_account: np.ndarray
    account_offset: np.ndarray
    account_count: np.ndarray


@dataclass
class SessionState:
    session_id: np.ndarray
    uidx: np.ndarray  # user index
    start: np.ndarray
    dur: np.ndarray


@dataclass
class RepState:
    rep_id: np.ndarray
    hired: np.ndarray
    team: np.ndarray
    veterans: np.ndarray  # indices of reps hired before the window


@dataclass
class LeadState:
    lead_id: np.ndarray
    created: np.ndarray
    sql: np.ndarray
    converted: np.ndarray
    acct: np.ndarray  # converted account index, -1 if none
    owner: np.ndarray  # rep index
    chan: np.ndarray
    email: np.ndarray


@dataclass
class OpportunityState:
    opp_id: np.ndarray
    created: np.ndarray
    owner: np.ndarray  # rep id
    amount: np.ndarray
    stage: np.ndarray
    last_change: np.ndarray  # per opportunity id (index 0 unused): latest stage change


@dataclass
class CampaignState:
    campaign_id: np.ndarray
    channel: np.ndarray
    start: np.ndarray
    end: np.ndarray  # NAT while running
    d0: np.ndarray  # first day
    d1: np.ndarray  # day it ends (10**9 = open ended)


@dataclass
class World:
    """Everything simulated so far; each simulator fills its part, later ones read it."""

    accounts: AccountState | None = None
    subscriptions: SubscriptionState | None = None
    fx_rates: np.ndarray | None = None
    users: UserState | None = None
    sessions: SessionState | None = None
    feature_release: np.ndarray | None = None
    reps: RepState | None = None
    leads: LeadState | None = None
    opportunities: OpportunityState | None = None
    campaigns: CampaignState | None = None


@dataclass
class Ctx:
    """Arguments of one generation run plus the window derived from them."""

    accounts: int
    days: int
    as_of: dt.date
    seed: int = 7
    world: World = field(default_factory=World)

    @property
    def end_day(self) -> int:
        """Epoch day number of the as-of day (the last day of the window)."""
        return (self.as_of - dt.date(1970, 1, 1)).days

    @property
    def start_day(self) -> int:
        return self.end_day - self.days + 1

    @property
    def start_sec(self) -> int:
        return self.start_day * DAY

    @property
    def end_sec(self) -> int:
        """Exclusive end of the as-of day: clean event times are < end_sec."""
        return (self.end_day + 1) * DAY

    def rng(self, stream: str) -> np.random.Generator:
        """An independent, stable random stream per name (crc32 is stable across runs)."""
        return np.random.default_rng([self.seed, zlib.crc32(stream.encode())])

    def growth_weights(self, growth: float = 1.3, weekend: float = 0.45) -> np.ndarray:
        """Per-day weights over the window: exponential growth and weekday seasonality."""
        d = np.arange(self.days)
        w = np.exp(growth * d / max(self.days - 1, 1))
        dow = weekday(self.start_day + d)
        w = w * np.where(dow >= 5, weekend, 1.0)
        return w / w.sum()


def weekday(epoch_day: np.ndarray | int) -> np.ndarray:
    """0=Monday..6=Sunday for epoch day numbers (1970-01-01 was a Thursday)."""
    return (np.asarray(epoch_day) + 3) % 7


def time_of_day(
    rng: np.random.Generator, n: int, mean_h: float = 14.5, sd_h: float = 3.5
) -> np.ndarray:
    """Seconds into the day, business-hours shaped (UTC, wraps around midnight)."""
    return (rng.normal(mean_h * HOUR, sd_h * HOUR, n).astype(np.int64)) % DAY


def expand(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For integer counts per parent return (parent index, position within parent) per child."""
    counts = np.asarray(counts, dtype=np.int64)
    parent = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    pos = np.arange(len(parent)) - np.repeat(starts, counts)
    return parent, pos


def choice(rng: np.random.Generator, values, p, n: int) -> np.ndarray:
    values = np.asarray(values, dtype=object)
    p = np.asarray(p, dtype=float)
    return values[rng.choice(len(values), size=n, p=p / p.sum())]


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def null_ts_where(mask: np.ndarray, ts: np.ndarray) -> np.ndarray:
    out = np.asarray(ts, dtype=np.int64).copy()
    out[mask] = NAT
    return out


def month_start_day(epoch_day: np.ndarray) -> np.ndarray:
    """Epoch day of the first day of the month of each epoch day."""
    d = np.asarray(epoch_day, dtype=np.int64).astype("M8[D]")
    return d.astype("M8[M]").astype("M8[D]").astype(np.int64)


def add_months(epoch_sec: np.ndarray, months: np.ndarray) -> np.ndarray:
    """Add calendar months to timestamps, keeping the day of month (clipped to month end)."""
    sec = np.asarray(epoch_sec, dtype=np.int64)
    day = sec // DAY
    tod = sec - day * DAY
    d = day.astype("M8[D]")
    m = d.astype("M8[M]")
    dom = (d - m.astype("M8[D]")).astype(np.int64)
    target_m = m + np.asarray(months, dtype=np.int64)
    dim = ((target_m + 1).astype("M8[D]") - target_m.astype("M8[D]")).astype(np.int64)
    new_day = target_m.astype("M8[D]").astype(np.int64) + np.minimum(dom, dim - 1)
    return new_day * DAY + tod


# ---------------------------------------------------------------- fake strings
FIRST = np.array(
    [
        "James",
        "Mary",
        "Robert",
        "Patricia",
        "John",
        "Jennifer",
        "Michael",
        "Linda",
        "David",
        "Elizabeth",
        "William",
        "Barbara",
        "Richard",
        "Susan",
        "Joseph",
        "Jessica",
        "Thomas",
        "Sarah",
        "Carlos",
        "Karen",
        "Daniel",
        "Lisa",
        "Matthew",
        "Nancy",
        "Anthony",
        "Betty",
        "Mark",
        "Sandra",
        "Paul",
        "Ashley",
        "Steven",
        "Kimberly",
        "Andrew",
        "Emily",
        "Joshua",
        "Donna",
        "Kenneth",
        "Michelle",
        "Kevin",
        "Carol",
        "Brian",
        "Amanda",
        "George",
        "Melissa",
        "Timothy",
        "Deborah",
        "Ronald",
        "Stephanie",
        "Jason",
        "Rebecca",
        "Ahmed",
        "Fatima",
        "Wei",
        "Mei",
        "Hiroshi",
        "Yuki",
        "Raj",
        "Priya",
        "Lars",
        "Ingrid",
        "Pierre",
        "Amelie",
        "Mateo",
        "Sofia",
        "Olga",
        "Ivan",
        "Noah",
        "Emma",
        "Liam",
        "Olivia",
        "Lucas",
        "Chloe",
        "Kwame",
        "Amara",
    ]
)
LAST = np.array(
    [
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Jones",
        "Garcia",
        "Miller",
        "Davis",
        "Rodriguez",
        "Martinez",
        "Hernandez",
        "Lopez",
        "Gonzalez",
        "Wilson",
        "Anderson",
        "Thomas",
        "Taylor",
        "Moore",
        "Jackson",
        "Martin",
        "Lee",
        "Perez",
        "Thompson",
        "White",
        "Harris",
        "Sanchez",
        "Clark",
        "Ramirez",
        "Lewis",
        "Robinson",
        "Walker",
        "Young",
        "Allen",
        "King",
        "Wright",
        "Scott",
        "Torres",
        "Nguyen",
        "Hill",
        "Flores",
        "Green",
        "Adams",
        "Nelson",
        "Baker",
        "Hall",
        "Rivera",
        "Campbell",
        "Mitchell",
        "Carter",
        "Roberts",
        "Mueller",
        "Schmidt",
        "Rossi",
        "Dubois",
        "Kowalski",
        "Tanaka",
        "Sato",
        "Kim",
        "Park",
        "Chen",
        "Wang",
        "Singh",
        "Patel",
        "Okafor",
        "Mensah",
        "Larsen",
        "Novak",
        "Silva",
        "Costa",
        "Ferreira",
        "Ivanova",
    ]
)
CO_A = np.array(
    [
        "Acme",
        "Blue",
        "Bright",
        "Cedar",
        "Delta",
        "Ember",
        "Falcon",
        "Granite",
        "Harbor",
        "Indigo",
        "Juniper",
        "Keystone",
        "Lumen",
        "Maple",
        "Nimbus",
        "Orbit",
        "Pioneer",
        "Quartz",
        "River",
        "Summit",
        "Tidal",
        "Umbra",
        "Vertex",
        "Willow",
        "Xenon",
        "Yonder",
        "Zephyr",
        "Atlas",
        "Beacon",
        "Cobalt",
        "Drift",
        "Echo",
        "Fjord",
        "Golden",
        "Horizon",
        "Iron",
        "Jade",
        "Kinetic",
        "Lunar",
        "Meridian",
        "North",
        "Onyx",
    ]
)
CO_B = np.array(
    [
        "Analytics",
        "Systems",
        "Labs",
        "Logistics",
        "Health",
        "Foods",
        "Energy",
        "Robotics",
        "Media",
        "Capital",
        "Retail",
        "Software",
        "Networks",
        "Dynamics",
        "Works",
        "Partners",
        "Studio",
        "Cloud",
        "Bio",
        "Freight",
        "Finance",
        "Security",
        "Data",
        "Motors",
    ]
)
CO_C = np.array(["Inc", "LLC", "Ltd", "GmbH", "Group", "Co", "SA", "BV", "AB", "Corp"])


def person_names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    return FIRST[rng.integers(0, len(FIRST), n)], LAST[rng.integers(0, len(LAST), n)]


def full_names(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    return np.char.add(np.char.add(first, " "), last).astype(object)


def emails(first: np.ndarray, last: np.ndarray, ids: np.ndarray, domains: np.ndarray) -> np.ndarray:
    local = np.char.lower(np.char.add(np.char.add(first, "."), last))
    local = np.char.add(local, np.asarray(ids).astype(str))
    return np.char.add(np.char.add(local, "@"), np.asarray(domains).astype(str)).astype(object)


def company_names(rng: np.random.Generator, n: int) -> np.ndarray:
    a = CO_A[rng.integers(0, len(CO_A), n)]
    b = CO_B[rng.integers(0, len(CO_B), n)]
    c = CO_C[rng.integers(0, len(CO_C), n)]
    return np.char.add(np.char.add(np.char.add(np.char.add(a, " "), b), " "), c)


def company_domains(names: np.ndarray, ids: np.ndarray) -> np.ndarray:
    words = np.char.lower(np.char.replace(np.asarray(names).astype(str), " ", ""))
    return np.char.add(np.char.add(words, np.asarray(ids).astype(str)), ".example.com")


# ---------------------------------------------------------------- frames
def _ts_series(sec: np.ndarray) -> pd.Series:
    arr = np.asarray(sec, dtype=np.int64).view("M8[s]").astype("M8[us]")
    return pd.Series(arr).dt.tz_localize("UTC")


def _date_series(days: np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(days, dtype=np.int64).view("M8[D]").astype("M8[s]"))


def loaded_at_seconds(ctx: Ctx, table: Table, cols: dict) -> np.ndarray:
    """Shortly after the latest time in the row, never after the as-of end + 1 day."""
    n = len(cols[table.primary_key[0]])
    latest = np.full(n, NAT, dtype=np.int64)
    for c in table.columns:
        if c.name == "_loaded_at" or c.name not in cols:
            continue
        if c.base_type == "timestamptz" and c.name != "due_at":
            latest = np.maximum(latest, np.asarray(cols[c.name], dtype=np.int64))
        elif c.base_type == "date" and c.name == table.event_time:
            d = np.asarray(cols[c.name], dtype=np.int64)
            latest = np.maximum(latest, np.where(d == NAT, NAT, (d + 1) * DAY))
    rng = ctx.rng(f"loaded_at:{table.key}")
    lag = rng.integers(10 * 60, 6 * HOUR, n)
    out = np.where(latest == NAT, ctx.end_sec, latest + lag)
    return np.minimum(out, ctx.end_sec + DAY - 1)


def build_frame(ctx: Ctx, table: Table, cols: dict) -> pd.DataFrame:
    """Typed DataFrame with exactly the contract's columns, in order (adds _loaded_at)."""
    cols = dict(cols)
    missing = [c for c in table.column_names if c not in cols and c != "_loaded_at"]
    extra = [c for c in cols if c not in table.column_names]
    if missing or extra:
        raise ValueError(f"{table.key}: missing columns {missing}, unexpected {extra}")
    cols["_loaded_at"] = loaded_at_seconds(ctx, table, cols)
    data = {}
    for c in table.columns:
        v = cols[c.name]
        t = c.base_type
        if t == "timestamptz":
            data[c.name] = _ts_series(v)
        elif t == "date":
            data[c.name] = _date_series(v)
        elif t == "bigint":
            v = np.asarray(v, dtype=np.int64)
            mask = v == -1
            data[c.name] = pd.Series(pd.arrays.IntegerArray(v, mask) if mask.any() else v)
        elif t == "integer":
            data[c.name] = pd.Series(np.asarray(v, dtype=np.int32))
        elif t == "numeric":
            # NaN is NULL (e.g. a subscription without a discount)
            rounded = np.round(np.asarray(v, dtype=np.float64), c.numeric_scale or 0)
            nulls = np.isnan(rounded)
            data[c.name] = pd.Series(
                pd.arrays.FloatingArray(np.where(nulls, 0.0, rounded), nulls)
                if nulls.any() else rounded
            )
        elif t == "boolean":
            data[c.name] = pd.Series(np.asarray(v, dtype=bool))
        else:
            data[c.name] = pd.Series(np.asarray(v, dtype=object), dtype=object)
    return pd.DataFrame(data)
