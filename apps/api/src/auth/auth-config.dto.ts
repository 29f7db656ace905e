import { ApiProperty } from '@nestjs/swagger';

/** What the web console needs to sign in; public, holds nothing secret. */
export class AuthConfigDto {
  @ApiProperty({ type: String, nullable: true, description: 'the Supabase project to sign in against (email and password); null in embedded development' })
  supabaseUrl!: string | null;
  @ApiProperty({ type: String, nullable: true, description: "the project's public anon key" }) supabaseAnonKey!: string | null;
  @ApiProperty({ description: 'true only with no Supabase project and NODE_ENV=development: sign in by pasting the token `npm start` printed' })
  devSignIn!: boolean;
}
