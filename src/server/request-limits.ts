// How much anyone may ask per time window: per person or API token (whichever session they use) and
// per client address (IPv6 by its /64), weighted — a GraphQL request costs its query cost as the cost
// limit computes it, a file download a fixed weight. Counted in PostgreSQL by default (every instance
// sees the same counts; the sign-in throttle's table), in Redis when REDIS_URL is set. When the store
// cannot answer, each instance counts in memory meanwhile rather than refusing everyone.
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { DataSource } from "typeorm";
import type { RequestLimitSettings } from "../config/config.js";
import { addressKey } from "../modules/auth/sign-in-throttle.js";

export class RequestLimits {
  private readonly byViewer: RateLimiterAbstract | null;
  private readonly byAddress: RateLimiterAbstract | null;
  private readonly redis: Redis | null;

  constructor(
    dataSource: DataSource,
    readonly settings: RequestLimitSettings,
  ) {
    this.redis = settings.enabled && settings.redisUrl ? new Redis(settings.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }) : null;
    const limiter = (keyPrefix: string, points: number): RateLimiterAbstract => {
      const common = { keyPrefix, points, duration: settings.windowSeconds, insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: settings.windowSeconds }) };
      return this.redis
        ? new RateLimiterRedis({ ...common, storeClient: this.redis })
        : new RateLimiterPostgres({ ...common, storeClient: dataSource, storeType: "typeorm", tableName: "sign_in_throttle", tableCreated: true, clearExpiredByTimeout: false });
    };
    this.byViewer = settings.enabled ? limiter("req-viewer", settings.perViewer) : null;
    this.byAddress = settings.enabled ? limiter("req-addr", settings.perAddress) : null;
  }

  /**
   * Takes `points` from the budgets of `viewerKey` (a person or token; null when anonymous) and of
   * `address`. Returns the whole seconds to wait when either is spent (0: go ahead).
   */
  async take(viewerKey: string | null, address: string, points: number): Promise<number> {
    if (!this.byViewer || !this.byAddress || points <= 0) return 0;
    try {
      await Promise.all([viewerKey ? this.byViewer.consume(viewerKey, points) : null, this.byAddress.consume(addressKey(address), points)]);
      return 0;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      throw refusal;
    }
  }

  /** What a download takes from the address's budget (links are not tied to a person). */
  takeFile(address: string): Promise<number> {
    return this.take(null, address, this.settings.fileWeight);
  }

  async close(): Promise<void> {
    if (this.redis) await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}
