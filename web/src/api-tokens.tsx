// The firm admin's API tokens: what each may do and for which administrations, when it was last
// used; make one (its secret shown once) or revoke one. Part of the firm page.
import { useEffect, useState } from "preact/hooks";
import {
  AdministrationsDocument,
  ApiScope,
  ApiTokensDocument,
  CreateApiTokenDocument,
  RevokeApiTokenDocument,
  type AdministrationsQuery,
  type ApiTokensQuery,
} from "@portaldesk/sdk";
import { api } from "./api.js";
import { Alert } from "./forms.js";
import { formatMoment, useI18n, type WordKey } from "./i18n.js";
import { ActionButton, BusyForm, SubmitButton } from "./busy.js";

type Token = ApiTokensQuery["apiTokens"]["nodes"][number];
type Administration = AdministrationsQuery["administrations"]["nodes"][number];

const SCOPES = Object.values(ApiScope);

export function ApiTokensPanel() {
  const { t, language } = useI18n();
  const [tokens, setTokens] = useState<Token[] | null>(null);
  const [administrations, setAdministrations] = useState<Administration[]>([]);
  const [limitScopes, setLimitScopes] = useState(false);
  const [limitAdministrations, setLimitAdministrations] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const load = () =>
    void api()
      .request(ApiTokensDocument, { first: 100 })
      .then((r) => setTokens(r.apiTokens.nodes));
  useEffect(() => {
    load();
    void api()
      .request(AdministrationsDocument, { first: 100 })
      .then((r) => setAdministrations(r.administrations.nodes));
  }, []);

  const create = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const expires = String(data.get("expires") ?? "");
    const { createApiToken } = await api().request(CreateApiTokenDocument, {
      input: {
        name: String(data.get("name") ?? ""),
        expiresAt: expires ? new Date(`${expires}T23:59:59`).toISOString() : null,
        scopes: limitScopes ? (data.getAll("scope") as ApiScope[]) : null,
        administrationIds: limitAdministrations ? (data.getAll("administration") as string[]) : null,
      },
    });
    setProblem(createApiToken.userErrors[0]?.message ?? null);
    if (createApiToken.token) {
      setSecret(createApiToken.token);
      form.reset();
      setLimitScopes(false);
      setLimitAdministrations(false);
      load();
    }
  };

  const revoke = async (token: Token) => {
    const { revokeApiToken } = await api().request(RevokeApiTokenDocument, { input: { id: token.id } });
    setProblem(revokeApiToken.userErrors[0]?.message ?? null);
    load();
  };

  return (
    <div class="card" data-testid="api-tokens">
      <h2>{t("apiTokens")}</h2>
      <p class="hint">{t("apiTokensIntro")}</p>
      {tokens && tokens.length === 0 && <p>{t("noApiTokens")}</p>}
      <ul class="tokens">
        {(tokens ?? []).map((token) => (
          <li key={token.id} data-testid="api-token" class={token.revokedAt ? "revoked" : undefined}>
            <strong>{token.name}</strong> <code>{token.tokenPrefix}…</code>
            <div class="hint">
              {token.scopes ? token.scopes.map((s) => t(`scope${s}` as WordKey)).join(", ") : t("allScopes")} ·{" "}
              {token.administrations ? token.administrations.map((a) => a.name).join(", ") : t("allAdministrations")}
            </div>
            <div class="hint">
              {t("lastUsed")}: {token.lastUsedAt ? formatMoment(language, token.lastUsedAt) : t("never")}
              {token.expiresAt && ` · ${t("expires")}: ${formatMoment(language, token.expiresAt)}`}
              {token.revokedAt && ` · ${t("revoked")}: ${formatMoment(language, token.revokedAt)}`}
            </div>
            {!token.revokedAt && (
              <ActionButton class="secondary" confirm={t("revokeTokenConfirm").replace("{name}", token.name)} onClick={() => revoke(token)} data-testid="revoke-token">
                {t("revoke")}
              </ActionButton>
            )}
          </li>
        ))}
      </ul>
      {secret && (
        <div class="secret" role="status" data-testid="token-secret">
          <p>{t("tokenSecretOnce")}</p>
          <code>{secret}</code>{" "}
          <ActionButton class="secondary" onClick={() => navigator.clipboard?.writeText(secret)}>
            {t("copy")}
          </ActionButton>
        </div>
      )}
      <BusyForm class="stack" onSubmit={(e) => create(e)} data-testid="new-token">
        <h3>{t("newApiToken")}</h3>
        <label>
          {t("tokenName")} <input name="name" required maxLength={100} />
        </label>
        <label>
          {t("expires")} <input name="expires" type="date" />
        </label>
        <label class="check">
          <input type="checkbox" checked={limitScopes} onChange={(e) => setLimitScopes((e.currentTarget as HTMLInputElement).checked)} data-testid="limit-scopes" />
          {t("limitScopes")}
        </label>
        {limitScopes && (
          <fieldset>
            <legend>{t("scopes")}</legend>
            {SCOPES.map((scope) => (
              <label class="check" key={scope}>
                <input type="checkbox" name="scope" value={scope} /> {t(`scope${scope}` as WordKey)}
              </label>
            ))}
          </fieldset>
        )}
        <label class="check">
          <input
            type="checkbox"
            checked={limitAdministrations}
            onChange={(e) => setLimitAdministrations((e.currentTarget as HTMLInputElement).checked)}
            data-testid="limit-administrations"
          />
          {t("limitAdministrations")}
        </label>
        {limitAdministrations && (
          <fieldset>
            <legend>{t("administrations")}</legend>
            {administrations.map((a) => (
              <label class="check" key={a.id}>
                <input type="checkbox" name="administration" value={a.id} /> {a.name}
              </label>
            ))}
          </fieldset>
        )}
        <Alert text={problem} />
        <SubmitButton>{t("createToken")}</SubmitButton>
      </BusyForm>
    </div>
  );
}
