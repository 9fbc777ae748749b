import type { DataSource } from "typeorm";
import type { Actor } from "../../core/actor.js";
import { NotFoundError } from "../../core/errors.js";
import { Firm } from "./firm.entity.js";

export class FirmService {
  constructor(private readonly dataSource: DataSource) {}

  /** A firm exists only for its own people and tokens. */
  async findVisible(actor: Actor, id: string): Promise<Firm> {
    if (actor.type !== "SYSTEM" && actor.firmId !== id) throw new NotFoundError("Firm");
    const firm = await this.dataSource.getRepository(Firm).findOneBy({ id });
    if (!firm) throw new NotFoundError("Firm");
    return firm;
  }
}
