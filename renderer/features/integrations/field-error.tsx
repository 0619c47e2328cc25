/** A field's validation message, announced when it appears. */
export function FieldError({ message, id }: { readonly message: string | undefined; readonly id?: string }) {
  if (!message) return null
  return (
    <p className="field-error" id={id} role="alert">
      {message}
    </p>
  )
}
