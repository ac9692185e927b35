/**
 * InnovateCorp's business as constants: channels, campaigns, countries, plans, features, and the
 * weights that tie them together (which channels a customer acquired through a given channel keeps
 * seeing, how likely each acquisition channel converts). Kept apart from the sampling code so the
 * story the data tells can be read and tuned in one place.
 */
import { cumulative } from './distributions';

export const CHANNELS = [
  'organic_search',
  'paid_search',
  'email',
  'social',
  'display',
  'referral',
  'direct',
] as const;
export type ChannelIndex = number;

const [ORGANIC, PAID, EMAIL, SOCIAL, DISPLAY, REFERRAL, DIRECT] = [0, 1, 2, 3, 4, 5, 6];

/** How customers arrive. */
export const ACQUISITION_CUM = cumulative([0.25, 0.2, 0.07, 0.15, 0.08, 0.1, 0.15]);

/** The probability a customer acquired through each channel ever buys (the rest are non-converting paths). */
export const CONVERSION_PROBABILITY = [0.55, 0.55, 0.6, 0.45, 0.4, 0.7, 0.6];

const BASE_MIX = [0.22, 0.18, 0.15, 0.14, 0.1, 0.06, 0.15];

/**
 * Channel mix of a customer's touchpoints, per acquisition channel: the base mix with the
 * acquisition channel four times as likely (people come back the way they came).
 */
export const PATH_MIX_CUM = CHANNELS.map((_, acquired) =>
  cumulative(BASE_MIX.map((w, c) => (c === acquired ? w * 4 : w))),
);

/** Paths before a repeat purchase lean on retention channels (email, direct). */
export const REPEAT_MIX_CUM = CHANNELS.map((_, acquired) =>
  cumulative(BASE_MIX.map((w, c) => (c === acquired ? w * 3 : w) * (c === EMAIL ? 3 : c === DIRECT ? 2 : 1))),
);

/** The touch right before a purchase is often intent-driven: search, direct, email. */
export const CLOSING_MIX_CUM = cumulative(
  BASE_MIX.map((w, c) => w * ([ORGANIC, PAID, DIRECT, EMAIL].includes(c) ? 2.5 : 1)),
);

/** Campaigns per channel ('' means none: organic and direct traffic has no campaign). */
export const CAMPAIGNS: readonly (readonly string[])[] = [
  [''],
  ['ps_brand', 'ps_generic', 'ps_competitor'],
  ['email_newsletter', 'email_onboarding', 'email_promo', 'email_winback'],
  ['social_video', 'social_carousel', 'social_influencer'],
  ['display_prospecting', 'display_retargeting'],
  ['referral_partner', 'referral_affiliate'],
  [''],
];

/**
 * The probability that a channel's touchpoint arrives a day or more late: ad platforms (display,
 * social, paid search) report conversions' touches late, first-party tracking rarely does.
 */
export const LATE_PROBABILITY = [0.03, 0.12, 0.03, 0.18, 0.25, 0.05, 0.02];

export const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'CA', 'AU', 'NL', 'ES', 'IN', 'BR'];
export const COUNTRY_CUM = cumulative([0.4, 0.12, 0.1, 0.08, 0.08, 0.06, 0.05, 0.04, 0.04, 0.03]);

export const PLANS = ['free', 'starter', 'pro', 'enterprise'];
export const PLAN_CUM = cumulative([0.45, 0.3, 0.2, 0.05]);

export const FEATURES = ['dashboard', 'reports', 'export', 'integrations', 'alerts', 'api', 'collaboration'];
/** How popular each feature is overall; each customer's own preference is a random tilt of this. */
export const FEATURE_POPULARITY = [0.3, 0.2, 0.1, 0.1, 0.12, 0.06, 0.12];

export { ORGANIC, PAID, EMAIL, SOCIAL, DISPLAY, REFERRAL, DIRECT };
