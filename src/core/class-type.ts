/** A class, by its constructor (entity and resolver classes handed to TypeORM and type-graphql). */
export type ClassType = new (...args: never[]) => object;
