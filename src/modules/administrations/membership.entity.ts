import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from "typeorm";

/** A client user's access to one administration's portal. */
@Entity({ name: "memberships" })
export class Membership {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "uuid" })
  userId: string;

  @Column({ type: "uuid" })
  administrationId: string;

  @Column({ type: "boolean" })
  canApproveFilings: boolean;

  @CreateDateColumn({ type: "timestamptz" })
  createdAt: Date;
}
