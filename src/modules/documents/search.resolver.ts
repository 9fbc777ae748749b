import { LocalDate } from "../../graphql/scalars.js";
import { Arg, Args, Ctx, Field, Float, ID, InputType, ObjectType, Query, Resolver } from "type-graphql";
import type { GraphQLContext } from "../../graphql/context.js";
import { fromGlobalId } from "../../graphql/global-id.js";
import { Connection, ConnectionArgs, toConnection } from "../../graphql/relay.js";
import { TrayKind } from "./document.entity.js";
import { DocumentType } from "./document.types.js";
import type { SearchHit } from "./document-search.js";

@InputType("SearchInput", { description: "What to look for, and where." })
export class SearchInputType {
  @Field(() => ID, { description: "The administration." })
  administrationId: string;

  @Field(() => String, { description: "Words, as in a web search: quoted phrases, -excluded, or." })
  query: string;

  @Field(() => ID, { nullable: true, description: "Only in this archive folder and its subfolders." })
  folderId?: string | null;

  @Field(() => TrayKind, { nullable: true, description: "Only in this tray." })
  tray?: TrayKind | null;

  @Field(() => LocalDate, { nullable: true, description: "Document date on or after (YYYY-MM-DD)." })
  from?: string | null;

  @Field(() => LocalDate, { nullable: true, description: "Document date on or before (YYYY-MM-DD)." })
  to?: string | null;
}

@ObjectType("SearchResult", { description: "A document that matches, with how well and where." })
export class SearchResultType {
  @Field(() => DocumentType, { description: "The document." })
  document: DocumentType;

  @Field(() => Float, { description: "Relevance; name matches rank above matches in the text." })
  rank: number;

  @Field(() => String, { description: "A fragment of the text (HTML-escaped) with the matches in <mark>…</mark>." })
  snippet: string;

  static from(hit: SearchHit): SearchResultType {
    return Object.assign(new SearchResultType(), { document: DocumentType.from(hit.document), rank: hit.rank, snippet: hit.snippet });
  }
}

export const SearchResultConnection = Connection(SearchResultType, "SearchResult");

@Resolver()
export class SearchResolver {
  @Query(() => SearchResultConnection, {
    description: "Search an administration's documents by name, notes and the text inside them, best matches first; only what the viewer may see.",
  })
  async search(
    @Arg("input", () => SearchInputType, { description: "What and where." }) input: SearchInputType,
    @Args(() => ConnectionArgs) page: ConnectionArgs,
    @Ctx() ctx: GraphQLContext,
  ) {
    const result = await ctx.services.search.search(
      ctx.viewer,
      {
        ...input,
        administrationId: fromGlobalId(input.administrationId, "Administration"),
        folderId: input.folderId ? fromGlobalId(input.folderId, "ArchiveFolder") : null,
      },
      page,
    );
    return toConnection(SearchResultConnection, result, SearchResultType.from);
  }
}
