import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from "typeorm";

/** One client business whose books the firm keeps. */
@Entity({ name: "administrations" })
export class Administration {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  firmId: string;

  @Column({ type: "varchar", length: 200 })
  name: string;

  @Column({ type: "varchar", length: 20, nullable: true })
  vatNumber: string | null;

  @Column({ type: "varchar", length: 8, nullable: true })
  chamberOfCommerceNumber: string | null;

  @Column({ type: "boolean" })
  portalEnabled: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;

  @UpdateDateColumn({ type: "timestamptz" })
  updatedAt: Date;
}
