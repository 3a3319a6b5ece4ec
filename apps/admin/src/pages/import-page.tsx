import { usePageTitle } from "@fivestep/client";
import { Guidance, Link, useI18n, useRouter } from "@fivestep/ui";
import { FileUpload } from "../components/file-upload.tsx";

/** Step 1 of a data import: choose a CSV or XLSX file and upload it (with a progress bar). */
export function ImportPage() {
  const { t } = useI18n();
  const { navigate } = useRouter();
  usePageTitle(t("import.title"));
  return (
    <>
      <h1>{t("import.title")}</h1>
      <p className="fs-lead">{t("import.lead")}</p>
      <Guidance summary={t("import.howTitle")} open={false}>
        <ol>
          <li>{t("import.how1")}</li>
          <li>{t("import.how2")}</li>
          <li>{t("import.how3")}</li>
          <li>{t("import.how4")}</li>
        </ol>
      </Guidance>
      <div className="fs-narrow">
        <FileUpload
          name="dataFile"
          label={t("import.file")}
          hint={t("import.fileHint")}
          submitLabel={t("import.upload")}
          onUploaded={(file) => navigate(`/import/${file.fileId}`)}
        />
      </div>
      <p>
        <Link to="/batches">{t("import.seeBatches")}</Link>
      </p>
    </>
  );
}
