import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

/** An accountancy firm: the tenant. Nothing of one firm is visible to another. */
@Entity({ name: "firms" })
export class Firm {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", length: 200 })
  name: string;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
